package dev.kafkadr.config;

import dev.kafkadr.tenant.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a cluster's {@code security} block: PLAINTEXT, SSL (with mTLS), SASL/SCRAM or MSK IAM;
 * every secret a ConfigProvider reference, never a value.
 */
final class ClusterSecurity {

  private static final Set<String> KEYS =
      Set.of(
          "protocol",
          "mechanism",
          "username",
          "password",
          "truststore.location",
          "truststore.password",
          "keystore.location",
          "keystore.password",
          "key.password");
  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT");
  private static final Set<String> MECHANISMS =
      Set.of("SCRAM-SHA-256", "SCRAM-SHA-512", "AWS_MSK_IAM");

  private ClusterSecurity() {}

  /** The settings as strings; problems are added at {@code at}. */
  static Map<String, String> check(Object node, String at, List<Problem> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!(node instanceof Map<?, ?> map)) {
      problems.add(
          new Problem(
              at, "must be a mapping such as {protocol: SASL_SSL, mechanism: SCRAM-SHA-512, ...}"));
      return out;
    }
    TenantsFileParser.unknownKeys(map, KEYS, at, problems);
    map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    out.forEach(
        (key, value) -> {
          if (Secrets.isSecretKey(key) && !Secrets.isReference(value)) {
            problems.add(
                new Problem(
                    at + "." + key,
                    "a secret must be a ConfigProvider reference such as ${file:/etc/kafka-dr/secrets.properties:"
                        + key
                        + "} or ${env:KDR_SECRET}, never the value itself"));
          }
        });
    String protocol = out.getOrDefault("protocol", "PLAINTEXT");
    if (!PROTOCOLS.contains(protocol)) {
      problems.add(
          new Problem(
              at + ".protocol",
              "\"" + protocol + "\" must be one of " + PROTOCOLS.stream().sorted().toList()));
    }
    String mechanism = out.get("mechanism");
    if (protocol.startsWith("SASL")) {
      if (mechanism == null || !MECHANISMS.contains(mechanism)) {
        problems.add(
            new Problem(
                at + ".mechanism",
                (mechanism == null ? "is missing" : "\"" + mechanism + "\" is not supported")
                    + "; "
                    + protocol
                    + " needs one of "
                    + MECHANISMS.stream().sorted().toList()));
      } else if (mechanism.startsWith("SCRAM")) {
        require(out, "username", at, protocol + " with " + mechanism, problems);
        require(out, "password", at, protocol + " with " + mechanism, problems);
      } else if (!"SASL_SSL".equals(protocol)) {
        problems.add(new Problem(at + ".protocol", "AWS_MSK_IAM needs SASL_SSL, was " + protocol));
      }
    } else if (mechanism != null) {
      problems.add(
          new Problem(at + ".mechanism", "only applies to SASL protocols, not " + protocol));
    }
    if (out.containsKey("keystore.location")) {
      require(out, "keystore.password", at, "a keystore", problems);
    }
    return out;
  }

  private static void require(
      Map<String, String> settings, String key, String at, String why, List<Problem> problems) {
    if (settings.get(key) == null) {
      problems.add(new Problem(at + "." + key, "is missing; " + why + " needs it"));
    }
  }
}
