package dev.kafkadr.controller;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.net.WanLink;

/**
 * {@link SecuredTenants} with the primary behind its WAN link, as seen from the secondary's region:
 * the controller and MirrorMaker 2 (both in the secondary's region) reach the primary only through
 * it, while the tenant's applications, in the primary's region, reach it straight on its secured
 * listener. Cutting the link isolates the primary from the controller and the copy, not from its
 * clients: a split brain.
 */
public class WanTenants extends SecuredTenants {

  /** The primary's WAN link. */
  static WanLink wan() {
    return sandbox.wan(Sandbox.PRIMARY);
  }

  /** The sandbox's clusters (with their security blocks), the primary reached through its link. */
  @Override
  protected String clusters() {
    String direct = "bootstrap: \"" + sandbox.primary().bootstrapServers() + "\"";
    String all = sandbox.tenantsFileClusters();
    if (!all.contains(direct)) {
      throw new IllegalStateException("no " + direct + " in the sandbox's clusters: " + all);
    }
    return all.replace(direct, "bootstrap: \"" + wan().bootstrapServers() + "\"");
  }
}
