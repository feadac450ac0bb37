package dev.kafkadr.controller;

import dev.kafkadr.config.TenantAcls;
import dev.kafkadr.config.TenantsFile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The sandbox for the workflow tests: tenant {@code shop} (identical names) whose applications are
 * SCRAM users held to their ACLs on the secured listener of both clusters, so that a switchover can
 * really fence them; the registry hands them that listener.
 */
public class SecuredTenants extends SandboxTenants {

  static final String PRODUCER = "shop-producer";
  static final String CONSUMER = "shop-consumer";

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
        "    access:",
        "      - {principal: \"User:" + PRODUCER + "\", role: producer}",
        "      - {principal: \"User:" + CONSUMER + "\", role: consumer}",
        tenant("shop", "30s", "").lines().skip(1).reduce((a, b) -> a + "\n" + b).orElseThrow(),
        "traffic:",
        "  clusters:",
        "    primary: {clientBootstrap: \"" + sandbox.primary().tenantBootstrapServers() + "\"}",
        "    secondary: {clientBootstrap: \""
            + sandbox.secondary().tenantBootstrapServers()
            + "\"}");
  }

  @Override
  protected void prepare(TenantsFile file) throws Exception {
    List<AclBinding> allow = List.copyOf(TenantAcls.desired(file).get("secondary"));
    for (var cluster : List.of(sandbox.primary(), sandbox.secondary())) {
      cluster.addScramUser(PRODUCER, PASSWORD);
      cluster.addScramUser(CONSUMER, PASSWORD);
      try (Admin admin = Admin.create(cluster.adminConfig())) {
        admin.createAcls(allow).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Client settings of a tenant application user, without bootstrap.servers (the registry's). */
  static Map<String, Object> client(String user) {
    Map<String, Object> c =
        new java.util.HashMap<>(sandbox.primary().tenantClientConfig(user, PASSWORD));
    c.remove("bootstrap.servers");
    return c;
  }
}
