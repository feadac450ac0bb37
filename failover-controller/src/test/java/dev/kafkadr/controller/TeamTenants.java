package dev.kafkadr.controller;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link SandboxTenants} with an OpenID Connect issuer ({@link TokenIssuer}) whose bearer tokens
 * the controller under test accepts next to its users file; tenant {@code acme} has identical names
 * and SCRAM users held to its ACLs, so that it can really be switched over.
 */
public class TeamTenants extends SandboxTenants {

  static TokenIssuer issuer;

  @Override
  protected String flowsAndTenants() {
    return String.join(
        "\n",
        "flows:",
        "  - {source: primary, target: secondary, tenants: [acme, other]}",
        "tenants:",
        "  - id: acme",
        "    naming: identical",
        "    access:",
        "      - {principal: \"User:acme-producer\", role: producer}",
        "      - {principal: \"User:acme-consumer\", role: consumer}",
        tenant("acme", "30s", "").lines().skip(1).reduce((a, b) -> a + "\n" + b).orElseThrow(),
        tenant("other", "1m", ""),
        clientBootstraps());
  }

  @Override
  protected void prepare(dev.kafkadr.config.TenantsFile file) {
    dev.kafkadr.sandbox.TenantUsers.create(sandbox, file, PASSWORD);
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    try {
      issuer = new TokenIssuer();
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("token issuer: " + e.getMessage(), e);
    }
    config.put("quarkus.oidc.tenant-enabled", "true");
    config.put("quarkus.oidc.auth-server-url", issuer.url());
    config.put("quarkus.oidc.token.audience", TokenIssuer.AUDIENCE);
    // Allowances of failed logins refill over an hour, not a minute: none refills while the
    // password-guessing tests count what was hashed and what was refused.
    config.put("kdr.auth.failed-logins.refill", "1h");
    return config;
  }

  @Override
  public void stop() {
    if (issuer != null) {
      issuer.close();
      issuer = null;
    }
    super.stop();
  }
}
