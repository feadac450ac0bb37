package dev.kafkadr.sandbox;

import dev.kafkadr.sandbox.kafka.ClusterSecurity;
import dev.kafkadr.sandbox.kafka.KafkaClusterProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Text the sandbox hands out: its one-line summary, the {@code clusters:} of a tenants file, and
 * the client settings files of its principals in secured mode. No store password is ever written:
 * every file names it as a reference to the authority's password file.
 */
final class SandboxText {

  private SandboxText() {}

  /** The {@code clusters:} lines; see {@link Sandbox#tenantsFileClusters()}. */
  static String tenantsFileClusters(
      KafkaClusterProcesses primary, KafkaClusterProcesses secondary) {
    return "clusters:\n" + cluster(primary) + cluster(secondary);
  }

  private static String cluster(KafkaClusterProcesses c) {
    StringBuilder line =
        new StringBuilder("  - {alias: ")
            .append(c.name())
            .append(", bootstrap: \"")
            .append(c.bootstrapServers())
            .append('"');
    if (c.security().isPresent()) {
      Map<String, String> s = c.clientConfig(ClusterSecurity.REPLICATION);
      line.append(", security: {protocol: SSL");
      for (String key : dev.kafkadr.config.ClusterClients.STORE_KEYS) {
        line.append(", ").append(key).append(": \"").append(s.get("ssl." + key)).append('"');
      }
      line.append('}');
    }
    return line.append("}\n").toString();
  }

  /** See {@link Sandbox#clientIdentity(String)}. */
  static Path clientIdentity(KafkaClusterProcesses any, String principal) {
    ClusterSecurity security =
        any.security()
            .orElseThrow(
                () ->
                    new SandboxException(
                        "this sandbox is not secured: every client is ANONYMOUS on PLAINTEXT"));
    Path file = security.tls().caCertificate().resolveSibling(principal + "-client.properties");
    StringBuilder text = new StringBuilder("# Client settings of ").append(principal).append('\n');
    any.clientConfig(principal).entrySet().stream()
        .filter(
            e ->
                "security.protocol".equals(e.getKey())
                    || e.getKey().startsWith("ssl.")
                    || e.getKey().startsWith("sasl."))
        .forEach(e -> text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SandboxException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /**
   * See {@link Sandbox#summary()}; the Connect URLs are null where that group is absent, the CA's
   * certificate null unless the sandbox is secured.
   */
  static String summary(
      StackDescription d,
      String connectUrl,
      String exactlyOnceUrl,
      Path caCertificate,
      long residentBytes) {
    StringBuilder line = new StringBuilder();
    line.append("sandbox ")
        .append(d.name())
        .append(" up in ")
        .append(String.format("%.1f s", d.startupMillis() / 1000.0));
    line.append(": ")
        .append(
            String.join(
                ", ",
                d.clusters().values().stream()
                    .map(c -> c.name() + " " + c.bootstrapServers())
                    .toList()));
    if (connectUrl != null) {
      line.append(", connect ").append(connectUrl);
    }
    if (exactlyOnceUrl != null) {
      line.append(", exactly-once connect ").append(exactlyOnceUrl);
    }
    if (d.dns() != null) {
      line.append(", dns 127.0.0.1:")
          .append(d.dns().port())
          .append(" (zone ")
          .append(d.dns().zone())
          .append(')');
    }
    if (caCertificate != null) {
      line.append(", every Kafka listener TLS (CA ").append(caCertificate).append(')');
    }
    line.append(", ").append(residentBytes / (1024 * 1024)).append(" MiB resident");
    return line.toString();
  }
}
