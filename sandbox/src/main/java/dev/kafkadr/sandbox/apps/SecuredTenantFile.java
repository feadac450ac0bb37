package dev.kafkadr.sandbox.apps;

import dev.kafkadr.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tenants file for one tenant replicated primary -> secondary on the sandbox, as the demo and the
 * benchmarks run it: topics {@code <tenant>.*} and groups {@code <tenant>-*} under identical names,
 * its application's producer and consumer as SCRAM users (fenced by the workflows), applications on
 * the brokers' secured listener, and MM2 refreshing every second.
 */
public final class SecuredTenantFile {

  private SecuredTenantFile() {}

  /**
   * Writes the file to {@code file}; the users are {@code User:<producer>} and {@code consumer}.
   */
  public static Path write(
      Sandbox sandbox, Path file, String tenant, String producer, String consumer)
      throws IOException {
    Files.writeString(
        file,
        String.join(
            "\n",
            sandbox.tenantsFileClusters().stripTrailing(),
            "flows:",
            "  - {source: primary, target: secondary, tenants: [" + tenant + "]}",
            "tenants:",
            "  - id: " + tenant,
            "    topics: {include: [\"" + tenant + "\\\\..*\"]}",
            "    groups: {include: [\"" + tenant + "-.*\"]}",
            "    naming: identical",
            "    rpo: 30s",
            "    rto: 5m",
            "    access:",
            "      - {principal: \"User:" + producer + "\", role: producer}",
            "      - {principal: \"User:" + consumer + "\", role: consumer}",
            "    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1,",
            "                refresh.groups.interval.seconds: 1, emit.checkpoints.interval.seconds: 1}",
            "traffic:",
            "  clusters:",
            "    primary: {clientBootstrap: \""
                + sandbox.primary().tenantBootstrapServers()
                + "\"}",
            "    secondary: {clientBootstrap: \""
                + sandbox.secondary().tenantBootstrapServers()
                + "\"}",
            ""));
    return file;
  }
}
