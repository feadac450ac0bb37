package dev.kafkadr.controller;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The sandbox for the drill tests: tenant {@code audit} (topics {@code audit.*}, groups {@code
 * audit-*}, copied under MM2's prefixed names), with a compacted topic beside a plain one.
 */
public class DrillTenants extends SandboxTenants {

  @Override
  protected NewTopic[] topics() {
    return new NewTopic[] {
      new NewTopic("audit.orders", 3, (short) 1),
      new NewTopic("audit.ledger", 1, (short) 1)
          .configs(java.util.Map.of("cleanup.policy", "compact"))
    };
  }

  @Override
  protected String flowsAndTenants() {
    return String.join(
        "\n",
        "flows:",
        "  - {source: primary, target: secondary, tenants: [audit]}",
        "tenants:",
        tenant("audit", "30s", ""));
  }
}
