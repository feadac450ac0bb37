package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.GroupLag;
import dev.kafkadr.controller.lag.PartitionLag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scan an unplanned failover journals reads back, through the journal's JSON, as the figures
 * its later steps judge by: a resumed failover sees the scan it started with.
 */
class MeasuredScanTest {

  @Test
  void aJournaledScanReadsBackWithItsPartitionsAndGroups() throws Exception {
    Instant at = Instant.parse("2026-11-30T17:12:57.101161889Z");
    FlowLag lag =
        new FlowLag(
            "shop",
            "primary",
            "secondary",
            Duration.ofSeconds(30),
            37,
            1.5,
            null,
            List.of(
                new PartitionLag(
                    "shop.orders",
                    0,
                    "shop.orders",
                    4,
                    120,
                    120,
                    83,
                    83,
                    "provenance",
                    37,
                    1.5,
                    1_000L,
                    null,
                    false,
                    null,
                    null),
                new PartitionLag(
                    "shop.orders",
                    1,
                    null,
                    0,
                    0,
                    0,
                    0,
                    0,
                    "empty-copy",
                    0,
                    0,
                    -1,
                    null,
                    null,
                    null,
                    null)),
            List.of(),
            List.of(new GroupLag("shop-app", "shop.orders", 0, 80, 75, 75, 5, 0.4)),
            null,
            null,
            at,
            at);

    // as the journal writes it and reads it back after a restart: JSON text, then maps
    String line = Journal.JSON.writeValueAsString(MeasuredScan.fact(lag));
    FlowLag back = MeasuredScan.flowLag(Journal.JSON.readValue(line, Map.class));

    assertThat(back.measuredAt()).isEqualTo(at);
    assertThat(back.tenant()).isEqualTo("shop");
    assertThat(back.groups()).isEqualTo(lag.groups());
    assertThat(back.partitions()).hasSize(2);
    PartitionLag p0 = back.partitions().get(0);
    assertThat(p0.topic()).isEqualTo("shop.orders");
    assertThat(p0.copy()).isEqualTo("shop.orders");
    assertThat(p0.sourceLogStart()).isEqualTo(4);
    assertThat(p0.sourceLogEnd()).isEqualTo(120);
    assertThat(p0.replicatedUpTo()).isEqualTo(83);
    assertThat(p0.transactional()).isFalse();
    assertThat(p0.lagRecords()).isEqualTo(37);
    assertThat(p0.measuredBy()).isEqualTo(MeasuredScan.JOURNALED);
    assertThat(back.partitions().get(1).copy()).isNull();
    assertThat(back.partitions().get(1).transactional()).isNull();
    assertThat(back.lagRecords()).isEqualTo(37);
  }
}
