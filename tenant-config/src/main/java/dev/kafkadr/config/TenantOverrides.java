package dev.kafkadr.config;

import dev.kafkadr.tenant.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connector settings a tenant may override: replication tuning only. Anything that can change
 * where data goes, who authenticates, or which classes load (JAAS configs, config providers, client
 * classes, bootstrap servers) is refused, since Connect's own security model treats those as
 * code-execution and impersonation vectors; and no override may read a ConfigProvider.
 */
final class TenantOverrides {

  /** The keys a tenant may set. */
  static final Set<String> ALLOWED =
      Set.of(
          "tasks.max",
          "consumer.max.poll.records",
          "consumer.fetch.min.bytes",
          "consumer.fetch.max.wait.ms",
          "consumer.max.partition.fetch.bytes",
          "producer.override.linger.ms",
          "producer.override.batch.size",
          "producer.override.compression.type",
          "producer.override.buffer.memory",
          "producer.override.max.request.size",
          "offset.lag.max",
          "refresh.topics.interval.seconds",
          "refresh.groups.interval.seconds",
          "emit.checkpoints.interval.seconds",
          "sync.topic.configs.interval.seconds",
          "sync.group.offsets.enabled",
          "sync.group.offsets.interval.seconds",
          "replication.factor");

  private TenantOverrides() {}

  /** The overrides as strings; problems are added at {@code at}. */
  static Map<String, String> check(Object node, String at, List<Problem> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(new Problem(at, "must be a mapping of connector settings"));
      return out;
    }
    map.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          String value = v == null ? "" : String.valueOf(v);
          String path = at + "." + key;
          if (!ALLOWED.contains(key)) {
            problems.add(new Problem(path, refusal(key)));
          } else if (value.contains("${")) {
            problems.add(
                new Problem(path, "overrides may not read ConfigProviders (\"" + value + "\")"));
          } else {
            out.put(key, value);
          }
        });
    return out;
  }

  private static String refusal(String key) {
    if (key.endsWith("sasl.jaas.config")
        || key.startsWith("config.providers")
        || key.endsWith(".class")
        || key.contains("bootstrap.servers")
        || key.contains("security.protocol")
        || key.contains("sasl.")
        || key.contains("ssl.")) {
      return "not allowed: it changes authentication, destinations or loaded classes, which only the"
          + " platform team sets on the cluster definitions";
    }
    return "not an allowed override; allowed: " + ALLOWED.stream().sorted().toList();
  }
}
