package dev.kafkadr.controller;

import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.sandbox.TenantUsers;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The sandbox for the workflow tests: tenant {@code shop} (identical names) whose applications are
 * SCRAM users held to their ACLs on the secured listener of both clusters, so that a switchover can
 * really fence them; the registry hands them that listener. The sandbox runs in its secured mode
 * (no plain-text listener) and Connect's REST API is locked: the controller calls it over HTTPS as
 * the sandbox's REST user.
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
        clientBootstraps());
  }

  /**
   * The workflow tests run on the secured sandbox, as production should: every listener TLS,
   * replication and the controller each their own principal, tenants' applications SASL_SSL.
   */
  @Override
  protected boolean secured() {
    return true;
  }

  /** The workflow tests run against a locked Connect REST API, as production should. */
  @Override
  protected boolean lockConnectRest() {
    return true;
  }

  @Override
  protected void prepare(TenantsFile file) {
    TenantUsers.create(sandbox, file, PASSWORD);
  }

  /** Client settings of a tenant application user, without bootstrap.servers (the registry's). */
  static Map<String, Object> client(String user) {
    Map<String, Object> c =
        new java.util.HashMap<>(sandbox.primary().tenantClientConfig(user, PASSWORD));
    c.remove("bootstrap.servers");
    return c;
  }
}
