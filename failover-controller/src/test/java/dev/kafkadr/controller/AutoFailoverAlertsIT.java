package dev.kafkadr.controller;

import dev.kafkadr.testkit.prometheus.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped automatic-failover alert rules under promtool over series shaped like the
 * controller's: a tenant watched (4), then held back by a guard rail (6); automatic failover
 * disabled (1) for longer than the rule's 4 hours (scaled to 15 seconds).
 */
class AutoFailoverAlertsIT {

  @Test
  void theHeldAndDisabledAlertsFireWhenTheyShouldAndOnlyThen() throws Exception {
    List<Double> held = new ArrayList<>(Collections.nCopies(10, 4.0));
    held.addAll(Collections.nCopies(20, 6.0));
    List<Double> disabled = new ArrayList<>(Collections.nCopies(5, 4.0));
    disabled.addAll(Collections.nCopies(25, 1.0));
    Promtool.check(
        Path.of("..", "configs", "prometheus", "kafka-dr-failover-alerts.yaml"),
        Map.of("4h", "15s"),
        List.of(
            new Promtool.Series("kdr_tenant_failover_automatic_state{tenant=\"shop\"}", held),
            new Promtool.Series("kdr_tenant_failover_automatic_state{tenant=\"slow\"}", disabled)),
        List.of(
            new Promtool.Expect(5, "KafkaDrAutomaticFailoverHeld", List.of()),
            new Promtool.Expect(
                12,
                "KafkaDrAutomaticFailoverHeld",
                List.of(Map.of("tenant", "shop", "severity", "critical"))),
            new Promtool.Expect(12, "KafkaDrAutomaticFailoverDisabled", List.of()),
            new Promtool.Expect(
                25, "KafkaDrAutomaticFailoverDisabled", List.of(Map.of("severity", "warning")))),
        Files.createTempDirectory("kdr-promtool-failover"));
  }
}
