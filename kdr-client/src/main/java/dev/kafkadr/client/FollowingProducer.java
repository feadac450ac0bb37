package dev.kafkadr.client;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * later record; their futures and callbacks complete only then. While records of a topic are held,
 * later records of that topic are held behind them, so that none overtakes them (other topics are
 * not held up). A fence lifted without a switch (a workflow rolled back before its switch point)
 * releases them too: once a second, the oldest held record of each topic is sent again on the same
 * cluster, and when it is acknowledged the rest of that topic follow in order; refused again, it is
 * held again; failed otherwise, it fails as any other record would. Held records that see neither
 * within {@code fence.timeout} fail with the original error. Every other failure reaches the
 * application unchanged: a record that timed out on a dead cluster may or may not be there, and
 * only the application can decide to send it again.
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
  private final Map<String, Integer> heldPerTopic = new ConcurrentHashMap<>();
  private final Set<String> probing = ConcurrentHashMap.newKeySet();
  private volatile Producer<K, V> producer;
  private volatile Location location;
  private volatile Instant switchedAt;
  private final ScheduledExecutorService expiry;
  private final java.util.function.Consumer<Location> onSwitch = next -> followSwitch();
  private volatile boolean closed;

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
    expiry.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** Once a second: held records past the fence timeout fail; each fenced topic is probed. */
  private void tick() {
    try {
      expireHeld(Instant.now());
      probeFences();
    } catch (Throwable t) {
      // a failure here must not cancel the schedule: records would stay held for good
      LOG.warn("tenant {}: checking held records failed: {}", watcher.tenant(), t.toString());
    }
  }

  /**
   * Sends {@code record}; the future completes when it is acknowledged, on whichever cluster.
   *
   * @throws IllegalStateException once closed
   */
  public synchronized CompletableFuture<RecordMetadata> send(
      ProducerRecord<K, V> record, Callback callback) {
    if (closed) {
      throw new IllegalStateException("this producer of tenant " + watcher.tenant() + " is closed");
    }
    followSwitch();
    CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
    long seq = sequence.incrementAndGet();
    Held<K, V> h = new Held<>(record, callback, future, null, Instant.now());
    if (heldPerTopic.containsKey(record.topic()) || probing.contains(record.topic())) {
      hold(seq, h); // behind the records of its topic a fence holds: sent when they are
    } else {
      dispatch(seq, h);
    }
    return future;
  }

  /** Sends {@code record} without a callback. */
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  /** Sends {@code h}'s record now; a refusal by a fence holds it again, keeping its age. */
  private void dispatch(long seq, Held<K, V> h) {
    try {
      producer.send(
          h.record(),
          (metadata, error) -> {
            if (error instanceof AuthorizationException refused) {
              hold(seq, new Held<>(h.record(), h.callback(), h.future(), refused, h.since()));
            } else {
              complete(h, metadata, error);
            }
          });
    } catch (RuntimeException e) {
      complete(h, null, e); // closed, interrupted, or the record could not be serialized
    }
  }

  private void hold(long seq, Held<K, V> h) {
    heldPerTopic.merge(h.record().topic(), 1, Integer::sum);
    held.put(seq, h);
  }

  /** Takes {@code seq} out of the held records; false when another thread took it first. */
  private boolean unhold(long seq, Held<K, V> h) {
    if (!held.remove(seq, h)) {
      return false;
    }
    heldPerTopic.computeIfPresent(h.record().topic(), (t, n) -> n == 1 ? null : n - 1);
    return true;
  }

  /**
   * Completes {@code h}'s future, then its callback; an application's callback that throws is
   * logged.
   */
  private void complete(Held<K, V> h, RecordMetadata metadata, Exception error) {
    if (error == null) {
      h.future().complete(metadata);
    } else {
      h.future().completeExceptionally(error);
    }
    if (h.callback() != null) {
      try {
        h.callback().onCompletion(metadata, error);
      } catch (RuntimeException e) {
        LOG.warn("tenant {}: a send callback threw: {}", watcher.tenant(), e.toString());
      }
    }
  }

  /**
   * Waits until every record sent so far is acknowledged or failed; records held by a fence wait
   * for the switch or the fence's end (at most {@code fence.timeout}).
   */
  public void flush() {
    followSwitch();
    producer.flush();
    Instant deadline = Instant.now().plus(fenceTimeout);
    while ((!held.isEmpty() || !probing.isEmpty()) && Instant.now().isBefore(deadline)) {
      sleep(100);
      followSwitch();
      producer.flush();
    }
    expireHeld(Instant.now().plus(Duration.ofDays(1)));
    producer.flush(); // what a probe released last
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
    // The old producer's in-flight records complete now: acknowledged, failed, or held (a probe
    // refused there too).
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
    sendHeld(null);
  }

  /** Sends the held records of {@code topic} (every topic when null) again, in order. */
  private void sendHeld(String topic) {
    for (var e : held.entrySet()) {
      Held<K, V> h = e.getValue();
      if ((topic == null || topic.equals(h.record().topic())) && unhold(e.getKey(), h)) {
        dispatch(e.getKey(), h);
      }
    }
  }

  /**
   * With records held and no switch, sends the oldest held record of each topic not being probed
   * again on this cluster: refused, it is held again (the fence is still up); acknowledged, the
   * fence was lifted without a switch and the topic's other held records are sent, in order; failed
   * otherwise, it fails as a record sent straight would.
   */
  private synchronized void probeFences() {
    if (closed) {
      return;
    }
    Map<String, Map.Entry<Long, Held<K, V>>> oldest = new HashMap<>();
    for (var e : held.entrySet()) {
      oldest.putIfAbsent(e.getValue().record().topic(), e);
    }
    oldest.forEach(
        (topic, e) -> {
          if (probing.contains(topic) || !unhold(e.getKey(), e.getValue())) {
            return;
          }
          probing.add(topic);
          probe(topic, e.getKey(), e.getValue());
        });
  }

  private void probe(String topic, long seq, Held<K, V> h) {
    try {
      producer.send(
          h.record(),
          (metadata, error) -> {
            if (error instanceof AuthorizationException) {
              hold(seq, h); // still fenced
              probing.remove(topic);
              return;
            }
            try {
              complete(h, metadata, error);
            } finally {
              if (error == null) {
                releaseHeld(topic);
              } else {
                probing.remove(topic); // a failure of its own: the rest stay held
              }
            }
          });
    } catch (RuntimeException e) {
      probing.remove(topic);
      complete(h, null, e);
    }
  }

  /** After an acknowledged probe: the topic's held records go, then its sends go straight. */
  private void releaseHeld(String topic) {
    try {
      expiry.execute(() -> sendHeldAgain(topic));
    } catch (RejectedExecutionException closing) {
      probing.remove(topic); // closed meanwhile: close() fails what is held
    }
  }

  private synchronized void sendHeldAgain(String topic) {
    try {
      if (!closed && heldPerTopic.containsKey(topic)) {
        LOG.info(
            "tenant {}: the fence on {} was lifted without a switch; {} held records of {} sent"
                + " again",
            location.tenant(),
            location.cluster(),
            heldPerTopic.get(topic),
            topic);
        sendHeld(topic);
      }
    } finally {
      probing.remove(topic);
    }
  }

  /** Fails held records older than {@code fence.timeout} at {@code now}. */
  private void expireHeld(Instant now) {
    for (var e : held.entrySet()) {
      Held<K, V> h = e.getValue();
      if (h.since().plus(fenceTimeout).isBefore(now) && unhold(e.getKey(), h)) {
        // a record held behind a refused one carries the refusal that held its topic
        complete(h, null, h.cause() != null ? h.cause() : refusalOf(h.record().topic()));
      }
    }
  }

  private Exception refusalOf(String topic) {
    return held.values().stream()
        .filter(h -> h.cause() != null && h.record().topic().equals(topic))
        .findFirst()
        .map(Held::cause)
        .orElseGet(
            () ->
                new org.apache.kafka.common.errors.TopicAuthorizationException(
                    "held behind records of " + topic + " refused by a fence"));
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
