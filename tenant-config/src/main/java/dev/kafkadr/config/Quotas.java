package dev.kafkadr.config;

import dev.kafkadr.tenant.Problem;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tenant's replication quota: {@code quota: {bytesPerSecond: 8MiB}}. Kafka enforces client quotas
 * per broker, so the figure is the most one tenant's replication may move through any one broker
 * each second; a tenant's replication clients carry client ids of their own so that the quota holds
 * them and nobody else.
 */
public final class Quotas {

  /** Prefix of every client id kafka-dr gives a replication client (and so of its quotas). */
  public static final String CLIENT_ID_PREFIX = "kdr.";

  private static final Set<String> KEYS = Set.of("bytesPerSecond");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB)");
  private static final Map<String, Long> UNITS =
      Map.of("", 1L, "B", 1L, "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30);

  private Quotas() {}

  /** The client id of the tenant source connector's producer and consumer on one flow. */
  public static String clientId(String flowName) {
    return CLIENT_ID_PREFIX + flowName;
  }

  /**
   * The client id MirrorMaker 2 gives the replication consumer of source connector {@code
   * connector}: the configured id, then the flow, the connector name and the consumer's role.
   */
  public static String replicationConsumerId(
      String flowName, String sourceAlias, String targetAlias, String connector) {
    return clientId(flowName)
        + "|"
        + sourceAlias
        + "->"
        + targetAlias
        + "|"
        + connector
        + "|replication-consumer";
  }

  /**
   * Caps the fetch and batch sizes of a source connector at one second of its quota ({@code
   * consumer.fetch.max.bytes}, {@code consumer.max.partition.fetch.bytes}, {@code
   * producer.override.batch.size}); sizes already smaller stay.
   */
  static void capRequestSizes(Map<String, String> connector, long bytesPerSecond) {
    Map<String, Long> defaults =
        Map.of(
            "consumer.fetch.max.bytes", 52_428_800L,
            "consumer.max.partition.fetch.bytes", 1_048_576L,
            "producer.override.batch.size", 16_384L);
    defaults.forEach(
        (key, kafkaDefault) -> {
          long now = connector.containsKey(key) ? Long.parseLong(connector.get(key)) : kafkaDefault;
          if (now > bytesPerSecond) {
            connector.put(key, Long.toString(bytesPerSecond));
          }
        });
  }

  /** Reads a {@code quota} block; null (with a problem added) when it is not valid. */
  static Long check(Object node, String at, List<Problem> problems) {
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem(at, "must be a mapping such as {bytesPerSecond: 8MiB}"));
      return null;
    }
    TenantsFileParser.unknownKeys(map, KEYS, at, problems);
    Object value = map.get("bytesPerSecond");
    String where = at + ".bytesPerSecond";
    if (value == null) {
      problems.add(new Problem(where, "is missing"));
      return null;
    }
    Matcher m = SIZE.matcher(String.valueOf(value).trim());
    if (!m.matches()) {
      problems.add(
          new Problem(
              where,
              "\""
                  + value
                  + "\" is not a size; write bytes or a number with KiB, MiB or GiB, e.g. 8MiB"));
      return null;
    }
    try {
      long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), UNITS.get(m.group(2)));
      if (bytes < 1024) {
        problems.add(new Problem(where, bytes + " bytes per second is too small; at least 1KiB"));
        return null;
      }
      return bytes;
    } catch (ArithmeticException | NumberFormatException e) {
      problems.add(new Problem(where, "\"" + value + "\" is too large"));
      return null;
    }
  }

  /** A size for people: {@code 8 MiB}. */
  public static String describe(long bytes) {
    for (String unit : List.of("GiB", "MiB", "KiB")) {
      long size = UNITS.get(unit);
      if (bytes % size == 0) {
        return bytes / size + " " + unit;
      }
    }
    return String.format(Locale.ROOT, "%d B", bytes);
  }
}
