package dev.kafkadr.client;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer that follows its tenant: when the bootstrap registry's epoch grows, it closes its
 * producer on the old cluster and continues on the new one, without a change to the application.
 *
 * <p>Records refused because the tenant is fenced on the old cluster (an {@link
 * AuthorizationException}: Kafka checks authorization before appending, so none of them was
 * written) are held, in the order they were sent, and sent again on the new cluster before any
 * later record; their futures and callbacks complete only then. While records are held, later
 * records are held behind them, so that none overtakes them. A fence lifted without a switch (a
 * workflow rolled back before its switch point) releases them too: once a second, the oldest held
 * record is sent again on the same cluster, and when it is acknowledged the rest follow in order.
 * Held records that see neither within {@code fence.timeout} fail with the original error. Every
 * other failure reaches the application unchanged: a record that timed out on a dead cluster may or
 * may not be there, and only the application can decide to send it again.
 *
 * <p>The switch happens on the watcher's thread as soon as it sees the new epoch (held records are
 * sent again then), or on the next send, whichever comes first.
 */
public final class FollowingProducer<K, V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FollowingProducer.class);

  /** A record waiting for the switch, with where its outcome goes. */
  private record Held<K, V>(
      ProducerRecord<K, V> record,
      Callback callback,
      CompletableFuture<RecordMetadata> future,
      Exception cause,
      Instant since) {}

  private final RegistryWatcher watcher;
  private final Map<String, Object> config;
  private final Serializer<K> keys;
  private final Serializer<V> values;
  private final Duration fenceTimeout;
  private final Duration closeTimeout;
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentSkipListMap<Long, Held<K, V>> held = new ConcurrentSkipListMap<>();
  private volatile Producer<K, V> producer;
  private volatile Location location;
  private volatile Instant switchedAt;
  private final ScheduledExecutorService expiry;
  private final java.util.function.Consumer<Location> onSwitch = next -> followSwitch();
  private volatile boolean closed;
  private volatile boolean probing;
  private volatile Exception refusal;

  /**
   * A producer of {@code watcher}'s tenant.
   *
   * @param config producer settings; {@code bootstrap.servers} is taken from the registry
   * @param fenceTimeout how long a record refused by a fence waits for the switch
   */
  public FollowingProducer(
      RegistryWatcher watcher,
      Map<String, Object> config,
      Serializer<K> keys,
      Serializer<V> values,
      Duration fenceTimeout) {
    this.watcher = watcher;
    this.config = new HashMap<>(config);
    this.keys = keys;
    this.values = values;
    this.fenceTimeout = fenceTimeout;
    this.closeTimeout = Duration.ofSeconds(10);
    this.location = watcher.current();
    this.producer = create(location);
    // Records held by a fence wait for the switch: it must not wait for the next send.
    watcher.onSwitch(onSwitch);
    this.expiry =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kdr-producer-fence-" + watcher.tenant());
              t.setDaemon(true);
              return t;
            });
    expiry.scheduleWithFixedDelay(
        () -> {
          expireHeld(Instant.now());
          probeFence();
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  /** Sends {@code record}; the future completes when it is acknowledged, on whichever cluster. */
  public synchronized CompletableFuture<RecordMetadata> send(
      ProducerRecord<K, V> record, Callback callback) {
    followSwitch();
    CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
    long seq = sequence.incrementAndGet();
    if (!held.isEmpty() || probing) {
      // behind the records a fence holds: sent when they are, never before
      held.put(seq, new Held<>(record, callback, future, refusal, Instant.now()));
    } else {
      dispatch(seq, record, callback, future, Instant.now());
    }
    return future;
  }

  /** Sends {@code record} without a callback. */
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  private void dispatch(
      long seq,
      ProducerRecord<K, V> record,
      Callback callback,
      CompletableFuture<RecordMetadata> future,
      Instant since) {
    producer.send(
        record,
        (metadata, error) -> {
          if (error instanceof AuthorizationException) {
            refusal = (Exception) error;
            held.put(seq, new Held<>(record, callback, future, error, since));
            return;
          }
          if (callback != null) {
            callback.onCompletion(metadata, error);
          }
          if (error == null) {
            future.complete(metadata);
          } else {
            future.completeExceptionally(error);
          }
        });
  }

  /**
   * Waits until every record sent so far is acknowledged or failed; records held by a fence wait
   * for the switch (at most {@code fence.timeout}).
   */
  public void flush() {
    followSwitch();
    producer.flush();
    Instant deadline = Instant.now().plus(fenceTimeout);
    while (!held.isEmpty() && Instant.now().isBefore(deadline)) {
      sleep(100);
      followSwitch();
      producer.flush();
    }
    expireHeld(Instant.now().plus(Duration.ofDays(1)));
  }

  /** Where this producer sends now. */
  public Location location() {
    return location;
  }

  /** When it last moved to another cluster, or null. */
  public Instant switchedAt() {
    return switchedAt;
  }

  /**
   * Moves to the registry's cluster when it changed; sends held records there first. Called on each
   * send and flush, and by the watcher as soon as it sees the switch.
   */
  private synchronized void followSwitch() {
    Location next = watcher.current();
    if (closed || next.epoch() <= location.epoch()) {
      expireHeld(Instant.now());
      return;
    }
    Producer<K, V> old = producer;
    // The old producer's in-flight records complete now: acknowledged, failed, or held.
    old.close(closeTimeout);
    Producer<K, V> created = create(next);
    LOG.info(
        "tenant {}: producer moved from {} to {} ({} held records sent again)",
        next.tenant(),
        location.cluster(),
        next.cluster(),
        held.size());
    producer = created;
    location = next;
    switchedAt = Instant.now();
    Map.Entry<Long, Held<K, V>> first;
    while ((first = held.pollFirstEntry()) != null) {
      Held<K, V> h = first.getValue();
      dispatch(first.getKey(), h.record(), h.callback(), h.future(), h.since());
    }
  }

  /**
   * With records held and no switch, sends the oldest again on this cluster: refused, it is held
   * again (the fence is still up); acknowledged, the fence was lifted without a switch and every
   * other held record is sent, in order.
   */
  private synchronized void probeFence() {
    Map.Entry<Long, Held<K, V>> first = held.firstEntry();
    if (closed || probing || first == null || !held.remove(first.getKey(), first.getValue())) {
      return;
    }
    probing = true;
    Held<K, V> h = first.getValue();
    try {
      producer.send(
          h.record(),
          (metadata, error) -> {
            if (error instanceof AuthorizationException) {
              held.put(first.getKey(), h);
              probing = false;
              return;
            }
            if (h.callback() != null) {
              h.callback().onCompletion(metadata, error);
            }
            if (error == null) {
              h.future().complete(metadata);
            } else {
              h.future().completeExceptionally(error);
            }
            releaseHeld();
          });
    } catch (RuntimeException e) {
      held.put(first.getKey(), h);
      probing = false;
    }
  }

  /** Sends every held record again on this cluster, in order, then lets sends go straight. */
  private void releaseHeld() {
    if (closed) {
      return; // close() fails what is held
    }
    try {
      expiry.execute(this::sendHeldAgain);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      probing = false; // closed meanwhile: close() fails what is held
    }
  }

  private synchronized void sendHeldAgain() {
    if (!held.isEmpty()) {
      LOG.info(
          "tenant {}: the fence on {} was lifted without a switch; {} held records sent again",
          location.tenant(),
          location.cluster(),
          held.size());
    }
    Map.Entry<Long, Held<K, V>> next;
    while ((next = held.pollFirstEntry()) != null) {
      Held<K, V> h = next.getValue();
      dispatch(next.getKey(), h.record(), h.callback(), h.future(), h.since());
    }
    probing = false;
  }

  /** Fails held records older than {@code fence.timeout} at {@code now}. */
  private void expireHeld(Instant now) {
    for (var e : held.entrySet()) {
      Held<K, V> h = e.getValue();
      if (h.since().plus(fenceTimeout).isBefore(now) && held.remove(e.getKey(), h)) {
        // held behind a refused record, it carries that refusal
        Exception cause = h.cause() != null ? h.cause() : refusal;
        if (h.callback() != null) {
          h.callback().onCompletion(null, cause);
        }
        h.future().completeExceptionally(cause);
      }
    }
  }

  private Producer<K, V> create(Location at) {
    Map<String, Object> c = new HashMap<>(config);
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, at.bootstrapServers());
    return new KafkaProducer<>(c, keys, values);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    watcher.removeSwitchListener(onSwitch);
    synchronized (this) {
      closed = true;
    }
    expiry.shutdownNow();
    producer.close(closeTimeout);
    expireHeld(Instant.now().plus(Duration.ofDays(1)));
  }
}
