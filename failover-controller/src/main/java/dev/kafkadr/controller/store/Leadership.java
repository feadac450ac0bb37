package dev.kafkadr.controller.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Which replica acts. On the local store this one always does (its journal directory is locked to
 * it). On the etcd store a loop campaigns for the leader key every third of the lease's TTL, and at
 * once when a watch sees the key deleted; the replica that holds it acts, and the others stand by.
 * When this replica becomes leader, the callbacks registered with {@link #onElected} run (the
 * workflows resume from their journals); when it loses the key it stops acting, and its writes to
 * the store are refused anyway by the fencing token.
 */
@ApplicationScoped
public class Leadership {

  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private final StoreConfig config;
  private final EtcdStore etcd;
  private final String replicaId;
  private final String url;
  private final List<Runnable> onElected = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService loop;
  private LeaderLease lease;
  private volatile boolean leading;
  private volatile Instant since;

  Leadership(
      StoreConfig config,
      EtcdStore etcd,
      @ConfigProperty(name = "quarkus.http.port") int httpPort,
      @ConfigProperty(name = "quarkus.http.ssl-port", defaultValue = "8443") int httpsPort,
      @ConfigProperty(name = "quarkus.http.insecure-requests", defaultValue = "enabled")
          String insecureRequests) {
    this.config = config;
    this.etcd = etcd;
    // A replica that serves HTTPS only (plain HTTP closed or redirected) is advertised at its
    // HTTPS port.
    boolean httpsOnly =
        "disabled".equalsIgnoreCase(insecureRequests)
            || "redirect".equalsIgnoreCase(insecureRequests);
    String scheme = httpsOnly ? "https://" : "http://";
    int port = httpsOnly ? httpsPort : httpPort;
    this.replicaId = config.etcd().replicaId().orElseGet(() -> host() + ":" + port);
    this.url = config.etcd().advertisedUrl().orElseGet(() -> scheme + host() + ":" + port);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  /** Starts campaigning on the etcd store (after the client opened); the local store leads. */
  void start(@Observes @Priority(950) StartupEvent event) {
    if (etcd.client().isEmpty()) {
      leading = true;
      since = Instant.now();
      return;
    }
    lease = etcd.leaderLease(replicaId, url);
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kdr-leadership");
              t.setDaemon(true);
              return t;
            });
    lease.onVacant(() -> loop.execute(this::turn));
    long every = Math.max(200, config.etcd().leaseTtl().toMillis() / 3);
    loop.scheduleWithFixedDelay(this::turn, 0, every, TimeUnit.MILLISECONDS);
  }

  /** One turn: campaign or renew; on a change of role, say so and run the elected callbacks. */
  private void turn() {
    boolean now;
    try {
      now = lease.campaign();
    } catch (StoreException e) {
      now = lease.holds();
      LOG.warnf("leader lease: %s (leading until the lease ends: %s)", e.getMessage(), now);
    } catch (RuntimeException e) {
      now = lease.holds();
      LOG.warnf(e, "leader lease turn failed");
    }
    changed(now);
  }

  private synchronized void changed(boolean now) {
    if (now && !leading) {
      leading = true;
      since = Instant.now();
      LOG.infof("replica %s leads (fencing token %s)", replicaId, lease.token().orElse(-1L));
      for (Runnable r : onElected) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.errorf(e, "after election");
        }
      }
    } else if (!now && leading) {
      leading = false;
      since = Instant.now();
      LOG.warnf("replica %s no longer leads", replicaId);
    }
  }

  /**
   * Runs {@code callback} each time this replica becomes leader; at once when it leads already
   * (always on the local store).
   */
  public synchronized void onElected(Runnable callback) {
    onElected.add(callback);
    if (leading) {
      callback.run();
    }
  }

  /** Whether this replica may act now (on etcd: it holds an unexpired lease, less the margin). */
  public boolean leads() {
    return lease == null ? leading : lease.holds();
  }

  /** The fencing token for the etcd store's writes while this replica leads. */
  public Optional<Long> token() {
    return lease == null ? Optional.empty() : lease.token();
  }

  /** This replica's id. */
  public String replicaId() {
    return replicaId;
  }

  /** Since when this replica has led, or stood by. */
  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /**
   * Who leads, as the store answers now (one read of the leader key): this replica on the local
   * store; on etcd the holder, or nobody.
   *
   * @throws StoreException when etcd does not answer
   */
  public Optional<LeaderLease.Holder> leader() {
    return lease == null ? Optional.of(new LeaderLease.Holder(replicaId, url, 0)) : lease.holder();
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) {
      loop.shutdownNow();
      try {
        loop.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (lease != null) {
      lease.close();
    }
  }
}
