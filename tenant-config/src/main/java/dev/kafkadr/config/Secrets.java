package dev.kafkadr.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Which settings hold secrets, and what a secret must look like in the tenants file. */
public final class Secrets {

  /** A Kafka ConfigProvider reference: {@code ${provider:[path:]key}}. */
  static final Pattern REFERENCE = Pattern.compile("\\$\\{[A-Za-z][A-Za-z0-9_-]*:[^}]+}");

  private Secrets() {}

  /** Whether a setting with this name holds a secret. */
  static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.endsWith("jaas.config")
        || k.contains("token")
        || k.endsWith("credentials");
  }

  /**
   * The secret behind a ConfigProvider {@code reference}, read now with Kafka's {@code file} and
   * {@code env} providers (the ones the controller reads), trimmed; empty when it resolves to
   * nothing (an unknown provider, a missing file, key or variable). The secret is never logged.
   */
  public static java.util.Optional<String> resolve(String reference) {
    var file = new org.apache.kafka.common.config.provider.FileConfigProvider();
    var env = new org.apache.kafka.common.config.provider.EnvVarConfigProvider();
    file.configure(java.util.Map.of());
    env.configure(java.util.Map.of());
    String value =
        new org.apache.kafka.common.config.ConfigTransformer(
                java.util.Map.of("file", file, "env", env))
            .transform(java.util.Map.of("secret", reference))
            .data()
            .get("secret");
    return value == null || value.isBlank() || value.equals(reference)
        ? java.util.Optional.empty()
        : java.util.Optional.of(value.trim());
  }

  /** Whether {@code value} is a ConfigProvider reference and nothing else. */
  static boolean isReference(String value) {
    return value != null && REFERENCE.matcher(value.trim()).matches();
  }
}
