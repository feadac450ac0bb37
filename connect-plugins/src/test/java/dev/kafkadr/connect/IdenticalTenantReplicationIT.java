package dev.kafkadr.connect;

import dev.kafkadr.tenant.NamingMode;

/** The tenant replication suite with identical remote topic names ({@code acme.orders}). */
class IdenticalTenantReplicationIT extends TenantReplicationIT {

  @Override
  NamingMode naming() {
    return NamingMode.IDENTICAL;
  }
}
