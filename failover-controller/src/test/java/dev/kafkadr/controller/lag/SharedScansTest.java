package dev.kafkadr.controller.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.controller.store.LocalStateStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scan shared by the leader reads back equal, partition by partition (NaN, nulls, nested records
 * and instants included), in the tenants' order, and not at all once it is stale.
 */
class SharedScansTest {

  private static final Instant AT = Instant.parse("2026-11-30T04:00:00.123Z");

  @Test
  void aSharedScanReadsBackEqualAndNotOnceStale() throws Exception {
    SharedScans shared = new SharedScans(new LocalStateStore(Files.createTempDirectory("scans")));
    Scan scan =
        new Scan(AT, Duration.ofMillis(420), List.of(flow("shop"), flow("acme")), 7, "replica-a");
    shared.publish(scan);
    shared.publish(scan); // the version it wrote is the one it expects next

    Scan back =
        shared
            .leaders(List.of("acme", "shop"), Duration.ofSeconds(3), AT.plusSeconds(1))
            .orElseThrow();
    assertThat(back.replica()).isEqualTo("replica-a");
    assertThat(back.at()).isEqualTo(AT);
    assertThat(back.took()).isEqualTo(Duration.ofMillis(420));
    assertThat(back.flows()).containsExactly(flow("acme"), flow("shop"));
    assertThat(back.flows().get(0).partitions().get(0).lagSeconds()).isNaN();
    assertThat(shared.leaders(List.of("shop"), Duration.ofSeconds(3), AT.plusSeconds(4)))
        .as("older than staleAfter")
        .isEmpty();
  }

  private static FlowLag flow(String tenant) {
    PartitionLag p =
        new PartitionLag(
            tenant + ".orders",
            0,
            tenant + ".orders",
            0,
            120,
            120,
            100,
            100,
            "provenance",
            20,
            Double.NaN,
            -1,
            "the copy's tail could not be read",
            Boolean.TRUE,
            new OpenTransaction(42, 100, 1_000, 2_000, 3, "producer 42"),
            null);
    return new FlowLag(
        tenant,
        "primary",
        "secondary",
        Duration.ofSeconds(30),
        20,
        -1,
        RpoStatus.UNKNOWN,
        List.of(p),
        List.of(new Gap(tenant + ".orders", 0, 40, 43, AT, true)),
        List.of(new GroupLag(tenant + "-app", tenant + ".orders", 0, 90, 90, 88, 2, 0.5)),
        new FlowHealth(
            "RUNNING",
            List.of(new FlowHealth.ConnectorState("c", "RUNNING", List.of("RUNNING"), null)),
            0.4,
            null,
            "at-least-once",
            "default",
            List.of()),
        "partition 0 unknown",
        AT,
        AT.plusMillis(200));
  }
}
