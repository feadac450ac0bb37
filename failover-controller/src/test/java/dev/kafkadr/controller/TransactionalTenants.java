package dev.kafkadr.controller;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The sandbox for the transactional tests: tenant {@code shop} as in {@link SecuredTenants}, whose
 * producer is transactional (ids {@code shop-}) and whose Kafka Streams application {@code
 * shop-streams} reads {@code shop.input} and writes {@code shop.output} exactly once; and tenant
 * {@code hold}, apart, whose partition a test holds with an open transaction; and tenant {@code
 * ledger}, copied exactly once on the sandbox's exactly-once Connect group ({@code eos}). Drains
 * time out after 15 s, so that a switchover that cannot drain rolls back within the test.
 */
public class TransactionalTenants extends SecuredTenants {

  static final String STREAMS = "shop-streams";

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    config.put("kdr.workflow.drain-timeout", "15s");
    return config;
  }

  @Override
  protected NewTopic[] topics() {
    return new NewTopic[] {
      new NewTopic("shop.orders", 2, (short) 1),
      new NewTopic("shop.tx", 1, (short) 1),
      new NewTopic("shop.input", 2, (short) 1),
      new NewTopic("shop.output", 2, (short) 1),
      new NewTopic("hold.events", 1, (short) 1),
      new NewTopic("ledger.events", 2, (short) 1)
    };
  }

  @Override
  protected int exactlyOnceWorkers() {
    return 1;
  }

  @Override
  protected String flowsAndTenants() {
    return String.join(
        "\n",
        "flows:",
        "  - {source: primary, target: secondary, tenants: [shop, hold, ledger]}",
        "tenants:",
        "  - id: shop",
        "    naming: identical",
        "    access:",
        "      - {principal: \"User:" + PRODUCER + "\", role: producer, transactionalIds: shop-}",
        "      - {principal: \"User:" + CONSUMER + "\", role: consumer}",
        "      - {principal: \"User:"
            + STREAMS
            + "\", role: producer, transactionalIds: shop-streams-}",
        "      - {principal: \"User:" + STREAMS + "\", role: consumer}",
        tenant("shop", "30s", "").lines().skip(1).reduce((a, b) -> a + "\n" + b).orElseThrow(),
        tenant("hold", "30s", ""),
        tenant("ledger", "30s", ""),
        "    delivery: exactly-once",
        "    connectCluster: eos",
        sandbox.tenantsFileConnectClusters().stripTrailing(),
        clientBootstraps());
  }
}
