package dev.kafkadr.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a cluster's {@code security} block into Kafka client settings under a prefix ({@code
 * source.cluster.}, {@code target.cluster.}, {@code producer.override.}). Secrets stay
 * ConfigProvider references, resolved by the Connect worker, so no rendered file holds a secret.
 */
final class ClientSecurity {

  private ClientSecurity() {}

  /** The client settings of {@code cluster}, each key prefixed with {@code prefix}. */
  static Map<String, String> settings(ClusterSpec cluster, String prefix) {
    Map<String, String> s = cluster.security();
    Map<String, String> out = new LinkedHashMap<>();
    String protocol = s.getOrDefault("protocol", "PLAINTEXT");
    if (!"PLAINTEXT".equals(protocol)) {
      out.put(prefix + "security.protocol", protocol);
    }
    String mechanism = s.get("mechanism");
    if (mechanism != null && mechanism.startsWith("SCRAM")) {
      out.put(prefix + "sasl.mechanism", mechanism);
      out.put(
          prefix + "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\""
              + s.get("username")
              + "\" password=\""
              + s.get("password")
              + "\";");
    } else if ("AWS_MSK_IAM".equals(mechanism)) {
      out.put(prefix + "sasl.mechanism", "AWS_MSK_IAM");
      out.put(prefix + "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
      out.put(
          prefix + "sasl.client.callback.handler.class",
          "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
    }
    for (String key : ClusterClients.STORE_KEYS) {
      if (s.get(key) != null) {
        out.put(prefix + "ssl." + key, s.get(key));
      }
    }
    return out;
  }
}
