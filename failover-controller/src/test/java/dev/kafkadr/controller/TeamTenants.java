package dev.kafkadr.controller;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link SandboxTenants} with an OpenID Connect issuer ({@link TokenIssuer}) whose bearer tokens
 * the controller under test accepts next to its users file.
 */
public class TeamTenants extends SandboxTenants {

  static TokenIssuer issuer;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    try {
      issuer = new TokenIssuer();
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("token issuer: " + e.getMessage(), e);
    }
    config.put("quarkus.oidc.auth-server-url", issuer.url());
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
