package dev.kafkadr.connect;

import dev.kafkadr.tenant.NamingMode;

/** The tenant replication suite with prefixed remote topic names ({@code primary.acme.orders}). */
class PrefixedTenantReplicationIT extends TenantReplicationIT {

  @Override
  NamingMode naming() {
    return NamingMode.PREFIXED;
  }
}
