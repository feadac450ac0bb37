package dev.kafkadr.bench;

import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantFlow;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.connect.MirrorFlow;
import dev.kafkadr.sandbox.kafka.ClusterSecurity;
import dev.kafkadr.tenant.NamingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The replication pipelines the benchmark compares, each as one source connector config. */
enum Pipeline {
  /** MirrorMaker 2's own source connector with its defaults. */
  STOCK("stock MM2"),
  /** Our tenant connector, policy, filters and provenance headers, with MM2's client defaults. */
  KDR_SAME_SETTINGS("kdr, stock settings"),
  /** As {@link #KDR_SAME_SETTINGS} without the two transformations: what provenance costs. */
  KDR_NO_PROVENANCE("kdr, no provenance"),
  /** Our pipeline with the settings we ship ({@link TenantFlow#TUNED_SOURCE_SETTINGS}). */
  KDR_SHIPPED("kdr, shipped defaults"),
  /**
   * As {@link #KDR_SHIPPED}, exactly once: on the sandbox's Connect group with {@code
   * exactly.once.source.support=enabled}, with {@link ConnectConfigs#EXACTLY_ONCE_SETTINGS}.
   */
  KDR_EXACTLY_ONCE("kdr, exactly once");

  final String label;

  Pipeline(String label) {
    this.label = label;
  }

  /**
   * The source connector configuration replicating {@code topic}; on a secured sandbox with the
   * replication principal's TLS settings for the source, the target and the records' producer.
   */
  Map<String, String> sourceConfig(Sandbox sandbox, String topic) {
    Map<String, String> config = new HashMap<>(plainConfig(sandbox, topic));
    if (sandbox.primary().security().isPresent()) {
      // Replication may only read the source: stock MM2's offset syncs go to the target too, as
      // kafka-dr renders them.
      config.put("offset-syncs.topic.location", "target");
      tls(config, "source.cluster.", sandbox.primary().clientConfig(ClusterSecurity.REPLICATION));
      for (String prefix : List.of("target.cluster.", "producer.override.")) {
        tls(config, prefix, sandbox.secondary().clientConfig(ClusterSecurity.REPLICATION));
      }
    }
    return config;
  }

  private static void tls(Map<String, String> config, String prefix, Map<String, String> client) {
    client.forEach(
        (key, value) -> {
          if ("security.protocol".equals(key) || key.startsWith("ssl.")) {
            config.put(prefix + key, value);
          }
        });
  }

  private Map<String, String> plainConfig(Sandbox sandbox, String topic) {
    String source = sandbox.primary().bootstrapServers();
    String target = sandbox.secondary().bootstrapServers();
    if (this == STOCK) {
      return new MirrorFlow(
              Sandbox.PRIMARY, source, Sandbox.SECONDARY, target, topic, "none", 1, null)
          .config(MirrorFlow.SOURCE);
    }
    TenantFlow flow =
        new TenantFlow(
            "bench",
            Sandbox.PRIMARY,
            source,
            Sandbox.SECONDARY,
            target,
            List.of(topic.replace(".", "\\.")),
            List.of("bench-.*"),
            List.of(),
            NamingMode.PREFIXED,
            1,
            null,
            Map.of());
    Map<String, String> config = new HashMap<>(flow.source());
    if (this == KDR_SAME_SETTINGS || this == KDR_NO_PROVENANCE) {
      TenantFlow.TUNED_SOURCE_SETTINGS.keySet().forEach(config::remove);
    }
    if (this == KDR_NO_PROVENANCE) {
      config.keySet().removeIf(k -> k.startsWith("transforms") || k.startsWith("predicates"));
    }
    if (this == KDR_EXACTLY_ONCE) {
      config.putAll(ConnectConfigs.EXACTLY_ONCE_SETTINGS);
    }
    return config;
  }

  /** Whether it runs on the exactly-once Connect group. */
  boolean exactlyOnce() {
    return this == KDR_EXACTLY_ONCE;
  }
}
