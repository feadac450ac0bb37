package dev.kafkadr.connect;

import dev.kafkadr.tenant.NamingMode;
import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.mirror.DefaultReplicationPolicy;
import org.apache.kafka.connect.mirror.IdentityReplicationPolicy;
import org.apache.kafka.connect.mirror.ReplicationPolicy;

/**
 * Gives each tenant's connectors the tenant's naming mode ({@code kdr.tenant.naming}): {@code
 * prefixed} behaves exactly as Kafka's {@link DefaultReplicationPolicy}, {@code identical} exactly
 * as Kafka's {@link IdentityReplicationPolicy}.
 *
 * <p>It delegates every method to an instance of the chosen Kafka policy instead of extending one
 * of them, because the mode is only known at {@link #configure} time and the two Kafka classes
 * differ in several methods. So internal topics, checkpoint and heartbeat topic names, {@code
 * topicSource} and {@code upstreamTopic} are computed by Kafka's own code in both modes, and MM2's
 * checkpoints, heartbeats and {@code RemoteClusterUtils} keep working. Loops in identical mode are
 * prevented by {@link ProvenanceHeaders} and {@link OriginIs}, not by names.
 */
public class TenantReplicationPolicy implements ReplicationPolicy, Configurable {

  private ReplicationPolicy delegate = new DefaultReplicationPolicy();
  private NamingMode naming = NamingMode.PREFIXED;

  @Override
  public void configure(Map<String, ?> props) {
    Object value = props.get(TenantConfig.NAMING);
    String text = value == null ? NamingMode.PREFIXED.configName() : String.valueOf(value);
    naming =
        NamingMode.parse(text)
            .orElseThrow(
                () ->
                    new ConfigException(
                        TenantConfig.NAMING, text, "must be prefixed or identical"));
    DefaultReplicationPolicy chosen =
        naming == NamingMode.IDENTICAL
            ? new IdentityReplicationPolicy()
            : new DefaultReplicationPolicy();
    chosen.configure(props);
    delegate = chosen;
  }

  /** The naming mode in force. */
  public NamingMode naming() {
    return naming;
  }

  @Override
  public String formatRemoteTopic(String sourceClusterAlias, String topic) {
    return delegate.formatRemoteTopic(sourceClusterAlias, topic);
  }

  @Override
  public String topicSource(String topic) {
    return delegate.topicSource(topic);
  }

  @Override
  public String upstreamTopic(String topic) {
    return delegate.upstreamTopic(topic);
  }

  @Override
  public String originalTopic(String topic) {
    return delegate.originalTopic(topic);
  }

  @Override
  public String heartbeatsTopic() {
    return delegate.heartbeatsTopic();
  }

  @Override
  public String offsetSyncsTopic(String clusterAlias) {
    return delegate.offsetSyncsTopic(clusterAlias);
  }

  @Override
  public String checkpointsTopic(String clusterAlias) {
    return delegate.checkpointsTopic(clusterAlias);
  }

  @Override
  public boolean isHeartbeatsTopic(String topic) {
    return delegate.isHeartbeatsTopic(topic);
  }

  @Override
  public boolean isCheckpointsTopic(String topic) {
    return delegate.isCheckpointsTopic(topic);
  }

  @Override
  public boolean isMM2InternalTopic(String topic) {
    return delegate.isMM2InternalTopic(topic);
  }

  @Override
  public boolean isInternalTopic(String topic) {
    return delegate.isInternalTopic(topic);
  }
}
