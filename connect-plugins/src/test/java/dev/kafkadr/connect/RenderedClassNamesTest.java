package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.TenantFlow;
import org.junit.jupiter.api.Test;

/** The configuration renderer names our plugins by string; those strings must name real classes. */
class RenderedClassNamesTest {

  @Test
  void theRendererNamesThePluginsThatExist() {
    assertThat(TenantFlow.SOURCE_CONNECTOR).isEqualTo(TenantMirrorSourceConnector.class.getName());
    assertThat(TenantFlow.CHECKPOINT_CONNECTOR)
        .isEqualTo(TenantMirrorCheckpointConnector.class.getName());
    assertThat(TenantFlow.POLICY).isEqualTo(TenantReplicationPolicy.class.getName());
    assertThat(TenantFlow.PROVENANCE).isEqualTo(ProvenanceHeaders.class.getName());
    assertThat(TenantFlow.ORIGIN_IS).isEqualTo(OriginIs.class.getName());
    assertThat(TenantFlow.TOPIC_FILTER).isEqualTo(TenantTopicFilter.class.getName());
    assertThat(TenantFlow.GROUP_FILTER).isEqualTo(TenantGroupFilter.class.getName());
    assertThat(TenantFlow.HEARTBEAT_CONNECTOR)
        .isEqualTo(org.apache.kafka.connect.mirror.MirrorHeartbeatConnector.class.getName());
  }
}
