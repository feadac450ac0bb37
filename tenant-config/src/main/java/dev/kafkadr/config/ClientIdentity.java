package dev.kafkadr.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The principal this process (the controller, {@code kdr}) logs in to a cluster as, when it is not
 * the replication principal the tenants file names. A cluster's {@code security} block is rendered
 * into the connectors, so it names replication's principal, which on a source cluster may only
 * read; kafka-dr's own processes need other rights (fences need ALTER on the cluster), so each can
 * be given its own client settings per cluster alias, as Kafka's tools take {@code
 * --command-config}: a properties file named by the system property {@code
 * kdr.client-config.<alias>} or, when that is unset, the environment variable {@code
 * KDR_CLIENT_CONFIG_<ALIAS>} (the alias upper-cased, every character other than a letter or digit
 * made {@code _}). The file holds only security settings ({@code security.protocol}, {@code ssl.*},
 * {@code sasl.*}), which replace the tenants file's for this process's own clients; its secrets may
 * be ConfigProvider references ({@code ${file:...}}, {@code ${env:...}}). The file is read at every
 * client's creation: a client made after a rotation uses the new settings, one made before keeps
 * the old.
 */
public final class ClientIdentity {

  private ClientIdentity() {}

  /** The system property naming the client settings file for cluster {@code alias}. */
  public static String property(String alias) {
    return "kdr.client-config." + alias;
  }

  /** The environment variable naming the client settings file for cluster {@code alias}. */
  public static String environmentVariable(String alias) {
    return "KDR_CLIENT_CONFIG_" + alias.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * This process's own security settings for cluster {@code alias} (plain client keys); empty when
   * none is configured, so the tenants file's apply.
   *
   * @throws IllegalArgumentException when the named file cannot be read, or holds a key that is not
   *     a security setting (naming the file, the key and where the file was named)
   */
  public static Map<String, String> of(String alias) {
    String source = property(alias);
    String named = System.getProperty(source);
    if (named == null || named.isBlank()) {
      source = environmentVariable(alias);
      named = System.getenv(source);
    }
    if (named == null || named.isBlank()) {
      return Map.of();
    }
    Path file = Path.of(named);
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the client settings of cluster "
              + alias
              + " at "
              + file
              + " (named by "
              + source
              + "): "
              + e.getMessage(),
          e);
    }
    Map<String, String> out = new TreeMap<>();
    for (String key : props.stringPropertyNames()) {
      if (!"security.protocol".equals(key) && !key.startsWith("ssl.") && !key.startsWith("sasl.")) {
        throw new IllegalArgumentException(
            file
                + " (named by "
                + source
                + "): key "
                + key
                + " is not a security setting; only security.protocol, ssl.* and sasl.* are taken");
      }
      out.put(key, props.getProperty(key).strip());
    }
    return out;
  }
}
