package dev.kafkadr.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer that follows its tenant: when the bootstrap registry's epoch grows, the next {@link
 * #poll} closes the consumer on the old cluster (without committing: its positions mean nothing on
 * the new cluster) and polls on the new one, in the same group and subscription, from the group's
 * committed offsets there: the ones the controller translated and wrote during the switch.
 *
 * <p>Records the application received on the old cluster but had not committed when the switch came
 * are read again: commit before processing the next batch, or after each, to keep that small. Like
 * {@link KafkaConsumer}, not thread-safe.
 */
public final class FollowingConsumer<K, V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FollowingConsumer.class);

  private final RegistryWatcher watcher;
  private final Map<String, Object> config;
  private final Deserializer<K> keys;
  private final Deserializer<V> values;
  private Consumer<K, V> consumer;
  private Location location;
  private List<String> topics;
  private Pattern pattern;
  private Instant switchedAt;
  private boolean fenced;

  /**
   * A consumer of {@code watcher}'s tenant.
   *
   * @param config consumer settings, with {@code group.id}; {@code bootstrap.servers} is taken from
   *     the registry, {@code enable.auto.commit} is forced off (commits are the application's, so
   *     that no commit lands on the old cluster after the controller translated the group)
   */
  public FollowingConsumer(
      RegistryWatcher watcher,
      Map<String, Object> config,
      Deserializer<K> keys,
      Deserializer<V> values) {
    this.watcher = watcher;
    this.config = new HashMap<>(config);
    this.config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.keys = keys;
    this.values = values;
    this.location = watcher.current();
    this.consumer = create(location);
  }

  /** Subscribes to {@code topics}, on this cluster and every later one. */
  public void subscribe(Collection<String> topics) {
    this.topics = List.copyOf(topics);
    this.pattern = null;
    consumer.subscribe(this.topics);
  }

  /** Subscribes to the topics matching {@code pattern}, on this cluster and every later one. */
  public void subscribe(Pattern pattern) {
    this.pattern = pattern;
    this.topics = null;
    consumer.subscribe(pattern);
  }

  /**
   * Polls, on the tenant's current cluster. While the tenant is fenced there (the group or its
   * topics are denied: the controller is moving it), returns no records and waits for the switch.
   */
  public ConsumerRecords<K, V> poll(Duration timeout) {
    followSwitch();
    try {
      return consumer.poll(timeout);
    } catch (AuthorizationException e) {
      fenced(e);
      sleep(Math.min(timeout.toMillis(), 200));
      return ConsumerRecords.empty();
    }
  }

  /**
   * Commits the positions of the records returned so far, on the current cluster. A commit refused
   * by the fence is skipped: the controller translated the group's offsets when it fenced it, and
   * the records after them are read once more on the new cluster.
   */
  public void commitSync() {
    try {
      consumer.commitSync();
    } catch (AuthorizationException e) {
      fenced(e);
    }
  }

  private void fenced(AuthorizationException e) {
    if (!fenced) {
      LOG.info(
          "tenant {}: consumer fenced on {} ({}); waiting for the switch",
          watcher.tenant(),
          location.cluster(),
          e.getClass().getSimpleName());
      fenced = true;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The consumer underneath, for what this class does not wrap; replaced on a switch. */
  public Consumer<K, V> delegate() {
    return consumer;
  }

  /** Where this consumer reads now. */
  public Location location() {
    return location;
  }

  /** When it last moved to another cluster, or null. */
  public Instant switchedAt() {
    return switchedAt;
  }

  private void followSwitch() {
    Location next = watcher.current();
    if (next.epoch() <= location.epoch()) {
      return;
    }
    // The tenant's groups are fenced on the old cluster by now (whether or not this consumer has
    // run into the fence yet): a request to leave would be refused. The member stays until the
    // controller removes it (before it writes offsets there) or its session times out.
    consumer.close(
        CloseOptions.timeout(Duration.ofSeconds(5))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
    consumer = create(next);
    if (topics != null) {
      consumer.subscribe(topics);
    } else if (pattern != null) {
      consumer.subscribe(pattern);
    }
    LOG.info(
        "tenant {}: consumer moved from {} to {}",
        next.tenant(),
        location.cluster(),
        next.cluster());
    location = next;
    switchedAt = Instant.now();
    fenced = false;
  }

  private Consumer<K, V> create(Location at) {
    Map<String, Object> c = new HashMap<>(config);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, at.bootstrapServers());
    return new KafkaConsumer<>(c, keys, values);
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
