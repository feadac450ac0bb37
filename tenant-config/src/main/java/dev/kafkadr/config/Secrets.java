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
    return java.util.Optional.ofNullable(
        resolveTogether(java.util.Map.of("secret", reference)).get("secret"));
  }

  /**
   * The values behind several references read in one pass, so that references into one file see one
   * version of it (Kafka's {@code FileConfigProvider} reads a file once per call for all its keys;
   * a file replaced by an atomic rename is then never seen half old, half new).
   *
   * @param references names of the caller's choosing to ConfigProvider references
   * @return the names whose reference resolved to a non-blank value, with that value trimmed (none
   *     when a file cannot be read); values are secrets: never log them
   */
  public static java.util.Map<String, String> resolveTogether(
      java.util.Map<String, String> references) {
    var file = new org.apache.kafka.common.config.provider.FileConfigProvider();
    var env = new org.apache.kafka.common.config.provider.EnvVarConfigProvider();
    file.configure(java.util.Map.of());
    env.configure(java.util.Map.of());
    java.util.Map<String, String> values;
    try {
      values =
          new org.apache.kafka.common.config.ConfigTransformer(
                  java.util.Map.of("file", file, "env", env))
              .transform(references)
              .data();
    } catch (org.apache.kafka.common.config.ConfigException e) {
      // Kafka's file provider throws for a file it cannot read: none of them resolves, as
      // documented, and the caller names the reference (the exception may not say which).
      return java.util.Map.of();
    }
    var resolved = new java.util.LinkedHashMap<String, String>();
    references.forEach(
        (name, reference) -> {
          String value = values.get(name);
          if (value != null && !value.isBlank() && !value.equals(reference)) {
            resolved.put(name, value.trim());
          }
        });
    return resolved;
  }

  /** Whether {@code value} is a ConfigProvider reference and nothing else. */
  public static boolean isReference(String value) {
    return value != null && REFERENCE.matcher(value.trim()).matches();
  }
}
