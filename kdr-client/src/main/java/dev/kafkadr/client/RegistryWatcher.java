package dev.kafkadr.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one tenant's entry in the bootstrap registry: asks the controller every {@code interval}
 * and tells its listeners when the epoch grows (the tenant was switched). One watcher can serve
 * every producer and consumer of the tenant in a process. A controller that does not answer is
 * logged once per outage and the last known location stays current.
 */
public final class RegistryWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

  private final Registry registry;
  private final String tenant;
  private final List<Consumer<Location>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private volatile Location current;
  private volatile boolean failing;

  /**
   * Starts watching; the first location is read before the constructor returns.
   *
   * @throws RegistryException when neither the controller nor the cache knows the tenant
   */
  public RegistryWatcher(Registry registry, String tenant, Duration interval) {
    this.registry = registry;
    this.tenant = tenant;
    this.current = registry.locate(tenant);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kdr-registry-" + tenant);
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The tenant. */
  public String tenant() {
    return tenant;
  }

  /** Where the tenant's clients go, as last read. */
  public Location current() {
    return current;
  }

  /** Calls {@code listener} (on the watcher's thread) with each new location after a switch. */
  public void onSwitch(Consumer<Location> listener) {
    listeners.add(listener);
  }

  /** Stops calling {@code listener}: a client that closes must not be moved any more. */
  public void removeSwitchListener(Consumer<Location> listener) {
    listeners.remove(listener);
  }

  /** How many listeners it calls. */
  int listeners() {
    return listeners.size();
  }

  /** Reads the registry now; returns the location, new or not. */
  public Location check() {
    try {
      Location read = registry.locate(tenant);
      if (read.cached()) {
        throw new RegistryException("only the cached answer is available");
      }
      if (failing) {
        LOG.info("controller {} answers again for tenant {}", registry.controller(), tenant);
        failing = false;
      }
      if (read.epoch() > current.epoch()) {
        Location before = current;
        current = read;
        LOG.info(
            "tenant {} switched from {} to {} (epoch {} -> {})",
            tenant,
            before.cluster(),
            read.cluster(),
            before.epoch(),
            read.epoch());
        listeners.forEach(l -> l.accept(read));
      }
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn(
            "tenant {}: registry not read, staying on {}: {}",
            tenant,
            current.cluster(),
            e.getMessage());
        failing = true;
      }
    }
    return current;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
