package dev.kafkadr.connect;

import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.mirror.MirrorCheckpointConnector;

/**
 * MirrorMaker 2's checkpoint connector for one tenant: Kafka's {@link MirrorCheckpointConnector},
 * with the {@code kdr.tenant.*} keys declared and validated and the tenant policy and filters used
 * by default, so only the tenant's consumer groups are checkpointed.
 */
public class TenantMirrorCheckpointConnector extends MirrorCheckpointConnector {

  @Override
  public void start(Map<String, String> props) {
    super.start(TenantConnectors.withDefaults(props));
  }

  @Override
  public ConfigDef config() {
    return TenantConnectors.withTenantKeys(super.config());
  }

  @Override
  public Config validate(Map<String, String> props) {
    return TenantConnectors.addTenantProblems(
        super.validate(TenantConnectors.withDefaults(props)), props);
  }

  @Override
  public String version() {
    return KdrVersion.get();
  }
}
