package dev.kafkadr.connect;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;

/**
 * MirrorMaker 2's source connector for one tenant: Kafka's {@link MirrorSourceConnector}, with the
 * {@code kdr.tenant.*} keys declared and validated (problems come back from Connect's validate
 * endpoint, each naming its key), the tenant policy and filters used by default, and a {@link
 * DurabilityGuard} that keeps each copy at least as durable as its source.
 */
public class TenantMirrorSourceConnector extends MirrorSourceConnector {

  private DurabilityGuard guard;

  @Override
  public void start(Map<String, String> props) {
    Map<String, String> effective = TenantConnectors.withDefaults(props);
    super.start(effective);
    if (Boolean.parseBoolean(effective.getOrDefault("sync.topic.configs.enabled", "true"))) {
      long seconds =
          Long.parseLong(effective.getOrDefault("sync.topic.configs.interval.seconds", "600"));
      guard = new DurabilityGuard(effective).start(Duration.ofSeconds(Math.max(1, seconds)));
    }
  }

  @Override
  public void stop() {
    if (guard != null) {
      guard.close();
      guard = null;
    }
    super.stop();
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
