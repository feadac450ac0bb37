package dev.kafkadr.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.MskCapacity;
import dev.kafkadr.tenant.NamingMode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules a migration plan is judged by, over figures given here. */
class MigrationChecksTest {

  private static MigrationPlan.TopicPlan topic(String name, Map<String, String> configs) {
    return new MigrationPlan.TopicPlan(
        name, name, 6, 3, 1000, 4096, false, configs, false, WireFormat.Sample.empty());
  }

  private static MigrationPlan.TargetCapacity capacity(long now, long added, MskCapacity msk) {
    var limit = msk.partitionLimit().orElse(new MskCapacity.PartitionLimit(0, 0));
    return new MigrationPlan.TargetCapacity(
        3, msk.brokerType(), 1048588, now, 3, added, limit.recommended(), limit.updatable());
  }

  @Test
  void aPrefixedTenantIsBlockedAndTold() {
    var m5 = new MskCapacity("kafka.m5.large", 3);
    var found = MigrationChecks.judge(NamingMode.PREFIXED, List.of(), capacity(0, 0, m5), m5);
    assertThat(found.blockers()).singleElement().asString().contains("naming: identical");
  }

  @Test
  void partitionReplicasPerBrokerAreJudgedAgainstTheTypesRecommendedAndUpdatableCounts() {
    var m5 = new MskCapacity("kafka.m5.large", 3);
    // 3 brokers: 2,900 replicas = 967 per broker, under 1,000.
    assertThat(MigrationChecks.judge(NamingMode.IDENTICAL, List.of(), capacity(2800, 100, m5), m5))
        .satisfies(f -> assertThat(f.blockers()).isEmpty())
        .satisfies(f -> assertThat(f.warnings()).isEmpty());
    // 3,300 = 1,100 per broker: over 1,000 recommended, under 1,500.
    var warned =
        MigrationChecks.judge(NamingMode.IDENTICAL, List.of(), capacity(3000, 300, m5), m5);
    assertThat(warned.blockers()).isEmpty();
    assertThat(warned.warnings())
        .singleElement()
        .asString()
        .contains("1100 partition replicas per kafka.m5.large broker")
        .contains("recommended 1000");
    // 4,600 = 1,534 per broker (rounded up): over 1,500, MSK could no longer update it.
    var blocked =
        MigrationChecks.judge(NamingMode.IDENTICAL, List.of(), capacity(4000, 600, m5), m5);
    assertThat(blocked.blockers()).singleElement().asString().contains("1534", "above 1500");
  }

  @Test
  void serverlessRefusesTopicSettingsOutsideItsListAndCapsRecordSize() {
    var serverless = new MskCapacity(MskCapacity.SERVERLESS, 0);
    var found =
        MigrationChecks.judge(
            NamingMode.IDENTICAL,
            List.of(
                topic(
                    "shop.big",
                    Map.of(
                        "max.message.bytes", "10485760",
                        "segment.bytes", "1073741824",
                        "retention.ms", "-1"))),
            new MigrationPlan.TargetCapacity(0, "serverless", 0, 0, 3, 6, 0, 0),
            serverless);
    assertThat(found.blockers())
        .singleElement()
        .asString()
        .contains("shop.big: max.message.bytes=10485760", "8388608");
    assertThat(found.warnings())
        .anyMatch(w -> w.contains("shop.big: segment.bytes=1073741824 cannot be set"))
        .noneMatch(w -> w.contains("retention.ms"));
  }

  @Test
  void framedValuesAreWarnedAboutAndAReplicationFactorTheTargetCannotHoldBlocks() {
    var sample = WireFormat.Sample.empty();
    for (int i = 0; i < 4; i++) {
      sample = sample.with(ByteBuffer.allocate(9).put((byte) 0).putInt(7).putInt(i).array());
    }
    sample = sample.with("plain text".getBytes());
    var framed =
        new MigrationPlan.TopicPlan(
            "shop.avro", "shop.avro", 1, 3, 5, 50, false, Map.of(), true, sample);
    var found =
        MigrationChecks.judge(
            NamingMode.IDENTICAL,
            List.of(framed),
            new MigrationPlan.TargetCapacity(2, "", 1048588, 10, 3, 0, 0, 0),
            null);
    assertThat(found.blockers())
        .singleElement()
        .asString()
        .contains("replication.factor 3", "more than the target's 2 brokers");
    assertThat(found.warnings())
        .anyMatch(
            w ->
                w.startsWith(
                    "shop.avro: 4 of 5 sampled values are in Confluent's wire format (schema ids [7])"))
        .anyMatch(w -> w.startsWith("shop.avro already exists on the target"));
  }

  @Test
  void aTargetMessageSizeNoBrokerAnsweredForIsSaidUnknownNotZero() {
    var found =
        MigrationChecks.judge(
            NamingMode.IDENTICAL,
            List.of(),
            new MigrationPlan.TargetCapacity(3, "", -1, 10, 3, 0, 0, 0),
            null);
    assertThat(found.blockers()).isEmpty();
    assertThat(found.warnings())
        .singleElement()
        .asString()
        .startsWith("the target's message.max.bytes is unknown");
  }

  @Test
  void theWireFormatNeedsMagicZeroAndAPositiveSchemaId() {
    assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 1, 2, 9})).hasValue(258);
    assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 0, 0, 9})).isEmpty();
    assertThat(WireFormat.schemaId(new byte[] {1, 0, 0, 1, 2})).isEmpty();
    assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 1})).isEmpty();
    assertThat(WireFormat.schemaId(null)).isEmpty();
    assertThat(WireFormat.Sample.empty().with(new byte[] {0, 0, 0, 0, 5}).looksFramed()).isTrue();
    assertThat(WireFormat.Sample.empty().looksFramed()).isFalse();
  }

  @Test
  void mskTypesMapToAwsPartitionLimits() {
    assertThat(new MskCapacity("kafka.t3.small", 3).partitionLimit())
        .hasValue(new MskCapacity.PartitionLimit(300, 300));
    assertThat(new MskCapacity("kafka.m7g.2xlarge", 3).partitionLimit())
        .hasValue(new MskCapacity.PartitionLimit(2000, 3000));
    assertThat(new MskCapacity("kafka.m5.24xlarge", 3).partitionLimit())
        .hasValue(new MskCapacity.PartitionLimit(4000, 6000));
    assertThat(new MskCapacity("kafka.m7g.24xlarge", 3).partitionLimit()).isEmpty();
    assertThat(new MskCapacity("express.m7g.large", 3).partitionLimit()).isEmpty();
    assertThat(new MskCapacity(MskCapacity.SERVERLESS, 0).partitionLimit()).isEmpty();
  }
}
