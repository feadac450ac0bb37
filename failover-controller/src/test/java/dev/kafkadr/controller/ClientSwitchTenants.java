package dev.kafkadr.controller;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The sandbox for the client-switch tests: tenant {@code shop} replicated primary -> secondary with
 * identical topic names (clients keep their topic names across a switch), consumer group offsets
 * checkpointed and synced to the secondary every second.
 */
public class ClientSwitchTenants extends SandboxTenants {

  @Override
  protected NewTopic[] topics() {
    return new NewTopic[] {new NewTopic("shop.orders", 2, (short) 1)};
  }

  @Override
  protected String flowsAndTenants() {
    return String.join(
        "\n",
        "flows:",
        "  - {source: primary, target: secondary, tenants: [shop]}",
        "tenants:",
        "  - id: shop",
        "    naming: identical",
        tenant(
                "shop",
                "30s",
                ",\n                sync.group.offsets.enabled: true,"
                    + " sync.group.offsets.interval.seconds: 1")
            .lines()
            .skip(1)
            .reduce((a, b) -> a + "\n" + b)
            .orElseThrow());
  }
}
