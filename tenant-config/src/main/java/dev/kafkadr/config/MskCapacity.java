package dev.kafkadr.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an Amazon MSK cluster is made of, as a tenants file declares it ({@code clusters[i].msk:
 * {brokerType: kafka.m5.large, brokers: 3}}), and the limits AWS documents for it, which a
 * migration plan checks before anything is copied.
 *
 * <p>Sources: partitions per Standard broker (leaders and followers), "Right-size your cluster" in
 * the MSK developer guide's best practices for Standard brokers (recommended count, and the most
 * that still lets MSK update the cluster); the topic-level properties MSK Serverless accepts and
 * its 8 MiB {@code max.message.bytes} cap, "Configuration properties for MSK Serverless clusters".
 * Express brokers are not in the table: their limits are their own and unknown here.
 *
 * @param brokerType an MSK broker type ({@code kafka.t3.small}, {@code kafka.m5.large} ... {@code
 *     kafka.m7g.16xlarge}) or {@code serverless}
 * @param brokers the number of brokers (0 for serverless)
 */
public record MskCapacity(String brokerType, int brokers) {

  /** The broker type of MSK Serverless, which has no brokers of its own to count. */
  public static final String SERVERLESS = "serverless";

  /** Topic-level properties MSK Serverless lets a client set; every other one is refused. */
  public static final Set<String> SERVERLESS_TOPIC_CONFIGS =
      Set.of(
          "cleanup.policy",
          "compression.type",
          "max.message.bytes",
          "message.timestamp.difference.max.ms",
          "message.timestamp.type",
          "retention.bytes",
          "retention.ms");

  /** MSK Serverless's largest {@code max.message.bytes}: 8 MiB. */
  public static final long SERVERLESS_MAX_MESSAGE_BYTES = 8L * 1024 * 1024;

  /**
   * Partitions per Standard broker by size: recommended, and the most MSK can still update with.
   *
   * @param recommended the count AWS recommends (leader and follower replicas)
   * @param updatable the most partitions with which MSK still performs update operations
   */
  public record PartitionLimit(int recommended, int updatable) {}

  private static final Map<String, PartitionLimit> BY_SIZE =
      Map.of(
          "t3.small", new PartitionLimit(300, 300),
          "m5.large", new PartitionLimit(1000, 1500),
          "m5.xlarge", new PartitionLimit(1000, 1500),
          "m5.2xlarge", new PartitionLimit(2000, 3000),
          "m7g.large", new PartitionLimit(1000, 1500),
          "m7g.xlarge", new PartitionLimit(1000, 1500),
          "m7g.2xlarge", new PartitionLimit(2000, 3000));

  private static final List<String> LARGE =
      List.of("4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge");

  /** Whether this is MSK Serverless. */
  public boolean serverless() {
    return SERVERLESS.equals(brokerType);
  }

  /**
   * The partition limit per broker of {@link #brokerType()}; empty for serverless, Express brokers
   * and types the table does not know.
   */
  public Optional<PartitionLimit> partitionLimit() {
    return limit(brokerType);
  }

  /** The limit of a broker type such as {@code kafka.m5.large}; empty when not in the table. */
  static Optional<PartitionLimit> limit(String brokerType) {
    if (brokerType == null || !brokerType.startsWith("kafka.")) {
      return Optional.empty();
    }
    String size = brokerType.substring("kafka.".length()).toLowerCase(Locale.ROOT);
    PartitionLimit known = BY_SIZE.get(size);
    if (known != null) {
      return Optional.of(known);
    }
    for (String family : List.of("m5.", "m7g.")) {
      if (size.startsWith(family) && LARGE.contains(size.substring(family.length()))) {
        if ("m7g.".equals(family) && size.endsWith("24xlarge")) {
          return Optional.empty();
        }
        return Optional.of(new PartitionLimit(4000, 6000));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code brokerType} is one a tenants file may name. */
  static boolean known(String brokerType) {
    return SERVERLESS.equals(brokerType) || limit(brokerType).isPresent();
  }
}
