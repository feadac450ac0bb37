package dev.kafkadr.sandbox.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MirrorFlowTest {

  private final MirrorFlow flow =
      new MirrorFlow(
          "primary",
          "127.0.0.1:1",
          "secondary",
          "127.0.0.1:2",
          "orders",
          "billing-.*",
          3,
          Duration.ofSeconds(1));

  @Test
  void namesTheThreeStockConnectorsAfterTheFlow() {
    assertThat(flow.connectors().keySet())
        .containsExactly(
            "mm2-primary-to-secondary-source",
            "mm2-primary-to-secondary-checkpoint",
            "mm2-primary-to-secondary-heartbeat");
  }

  @Test
  void everyConnectorCarriesBothClustersAndPassesBytesThrough() {
    flow.connectors()
        .values()
        .forEach(
            c ->
                assertThat(c)
                    .containsEntry("source.cluster.alias", "primary")
                    .containsEntry("target.cluster.bootstrap.servers", "127.0.0.1:2")
                    .containsEntry(
                        "header.converter",
                        "org.apache.kafka.connect.converters.ByteArrayConverter")
                    .containsEntry("replication.factor", "3")
                    .containsEntry("emit.checkpoints.interval.seconds", "1"));
  }

  @Test
  void withoutAnIntervalKeepsMirrorMakersDefaults() {
    MirrorFlow stock = new MirrorFlow("a", "x", "b", "y", ".*", ".*", 1, null);

    assertThat(stock.config(MirrorFlow.SOURCE))
        .doesNotContainKey("refresh.topics.interval.seconds");
  }
}
