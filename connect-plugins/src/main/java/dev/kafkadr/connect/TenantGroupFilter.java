package dev.kafkadr.connect;

import dev.kafkadr.tenant.Patterns;
import java.util.Map;
import org.apache.kafka.connect.mirror.GroupFilter;

/**
 * Checkpoints exactly the consumer groups of one tenant: those its patterns select, minus any that
 * another tenant's patterns select. Configured with the {@code kdr.tenant.*} keys.
 */
public class TenantGroupFilter implements GroupFilter {

  private Patterns.Compiled mine;
  private Patterns.Compiled others;

  @Override
  public void configure(Map<String, ?> props) {
    TenantConfig config = TenantConfig.require(props, getClass().getSimpleName());
    mine = config.groups().compile();
    others = config.otherTenantsGroups().compile();
  }

  @Override
  public boolean shouldReplicateGroup(String group) {
    return mine.matches(group) && !others.matches(group);
  }

  @Override
  public void close() {}
}
