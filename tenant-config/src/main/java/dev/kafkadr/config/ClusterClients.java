package dev.kafkadr.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Client settings for kafka-dr's own connections to a declared cluster (quotas, checks). Secrets
 * stay ConfigProvider references: the client resolves {@code ${file:...}} and {@code ${env:...}}
 * itself, as a Connect worker would.
 */
public final class ClusterClients {

  /**
   * The config providers kafka-dr's clients and the sandbox's Connect workers declare: {@code
   * ${file:path:key}} and {@code ${env:NAME}}.
   */
  public static final Map<String, String> CONFIG_PROVIDERS =
      Map.of(
          "config.providers", "file,env",
          "config.providers.file.class",
              "org.apache.kafka.common.config.provider.FileConfigProvider",
          "config.providers.env.class",
              "org.apache.kafka.common.config.provider.EnvVarConfigProvider");

  /**
   * The trust and key store settings of a cluster's {@code security} block, each rendered as the
   * Kafka client key {@code ssl.<key>}.
   */
  public static final java.util.List<String> STORE_KEYS =
      java.util.List.of(
          "truststore.location",
          "truststore.password",
          "keystore.location",
          "keystore.password",
          "key.password");

  private ClusterClients() {}

  /** The security settings of {@code cluster} as plain client keys ({@code security.protocol}). */
  public static Map<String, Object> securitySettings(ClusterSpec cluster) {
    return new java.util.LinkedHashMap<>(ClientSecurity.settings(cluster, ""));
  }

  /**
   * A consumer of {@code cluster} that reads records where it is told to: no group commits, only
   * committed transactional data.
   */
  public static Map<String, Object> readerConfig(ClusterSpec cluster, String clientId) {
    Map<String, Object> config = new HashMap<>(adminConfig(cluster));
    config.put("client.id", clientId);
    config.put("enable.auto.commit", false);
    config.put("isolation.level", "read_committed");
    return config;
  }

  /**
   * Admin client configuration for {@code cluster}, for kafka-dr's own connections: the tenants
   * file's security settings, replaced by this process's own identity for the cluster where one is
   * configured ({@link ClientIdentity}).
   *
   * @throws IllegalArgumentException when the configured identity file cannot be read or holds a
   *     key other than a security setting, naming the file and the key
   */
  public static Map<String, Object> adminConfig(ClusterSpec cluster) {
    Map<String, String> security = ClientIdentity.of(cluster.alias());
    Map<String, Object> config =
        new HashMap<>(security.isEmpty() ? ClientSecurity.settings(cluster, "") : security);
    config.put("bootstrap.servers", cluster.bootstrap());
    config.put("client.id", "kdr-config");
    config.put("config.providers", "file,env");
    config.put(
        "config.providers.file.class",
        "org.apache.kafka.common.config.provider.FileConfigProvider");
    config.put(
        "config.providers.env.class",
        "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    config.put("request.timeout.ms", 15_000);
    config.put("default.api.timeout.ms", 30_000);
    return config;
  }
}
