package dev.kafkadr.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Which settings hold secrets, and what a secret must look like in the tenants file. */
final class Secrets {

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

  /** Whether {@code value} is a ConfigProvider reference and nothing else. */
  static boolean isReference(String value) {
    return value != null && REFERENCE.matcher(value.trim()).matches();
  }
}
