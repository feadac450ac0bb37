package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DurabilityPlanTest {

  private static final String MIN_ISR = DurabilityPlan.MIN_ISR;
  private static final String UNCLEAN = DurabilityPlan.UNCLEAN;

  @Test
  void raisesMinInsyncReplicasToTheSources() {
    assertThat(DurabilityPlan.raises(Map.of(MIN_ISR, "2"), Map.of(MIN_ISR, "1"), 3))
        .containsExactly(Map.entry(MIN_ISR, "2"));
  }

  @Test
  void neverLowersAStricterTarget() {
    assertThat(
            DurabilityPlan.raises(
                Map.of(MIN_ISR, "1", UNCLEAN, "true"), Map.of(MIN_ISR, "2", UNCLEAN, "false"), 3))
        .isEmpty();
  }

  @Test
  void capsAtTheTargetReplicationFactorSoWritesStillSucceed() {
    assertThat(DurabilityPlan.raises(Map.of(MIN_ISR, "3"), Map.of(MIN_ISR, "1"), 2))
        .containsExactly(Map.entry(MIN_ISR, "2"));
    assertThat(DurabilityPlan.raises(Map.of(MIN_ISR, "2"), Map.of(MIN_ISR, "1"), 1)).isEmpty();
    assertThat(DurabilityPlan.cappedByReplicationFactor(Map.of(MIN_ISR, "2"), 1)).isTrue();
  }

  @Test
  void turnsOffUncleanElectionWhenTheSourceHasItOff() {
    assertThat(DurabilityPlan.raises(Map.of(UNCLEAN, "false"), Map.of(UNCLEAN, "true"), 1))
        .containsExactly(Map.entry(UNCLEAN, "false"));
    assertThat(DurabilityPlan.raises(Map.of(UNCLEAN, "false"), Map.of(UNCLEAN, "false"), 1))
        .isEmpty();
  }

  @Test
  void missingOrGarbledValuesCountAsTheBrokerDefaults() {
    assertThat(DurabilityPlan.raises(Map.of(MIN_ISR, "two"), Map.of(), 3)).isEmpty();
    assertThat(DurabilityPlan.raises(Map.of(MIN_ISR, "2"), Map.of(), 3))
        .containsExactly(Map.entry(MIN_ISR, "2"));
  }

  @Test
  void clientConfigTakesOneSidesClusterKeys() {
    Map<String, Object> source =
        DurabilityGuard.clientConfig(
            Map.of(
                "source.cluster.alias",
                "primary",
                "source.cluster.bootstrap.servers",
                "a:1",
                "source.cluster.security.protocol",
                "SSL",
                "target.cluster.bootstrap.servers",
                "b:2"),
            "source.cluster.");

    assertThat(source)
        .containsEntry("bootstrap.servers", "a:1")
        .containsEntry("security.protocol", "SSL")
        .doesNotContainKey("alias")
        .doesNotContainKey("target.cluster.bootstrap.servers");
  }

  @Test
  void keepsRoomOnTheCopyForTheLargestSourceRecordAndItsProvenanceHeader() {
    String max = DurabilityPlan.MAX_MESSAGE_BYTES;
    assertThat(DurabilityPlan.raises(Map.of(max, "2097152"), Map.of(max, "1048588"), 1))
        .containsExactly(Map.entry(max, Long.toString(2097152 + DurabilityPlan.HEADER_ROOM)));
    assertThat(DurabilityPlan.raises(Map.of(max, "1048588"), Map.of(max, "1048588"), 1))
        .containsExactly(Map.entry(max, Long.toString(1048588 + DurabilityPlan.HEADER_ROOM)));
    // Never lowered: a copy that already takes larger batches keeps them.
    assertThat(DurabilityPlan.raises(Map.of(max, "1048588"), Map.of(max, "8388608"), 1)).isEmpty();
  }
}
