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
 * The shipped drill alert rules under promtool over series shaped like the controller's: a drill
 * that passes then fails, a skipped occurrence, and no passing drill for longer than the rule
 * allows (its 8 days scaled to 15 seconds, printed).
 */
class DrillAlertsIT {

  private static final Map<String, String> LABELS =
      Map.of("tenant", "acme", "kind", "drill-verify");

  @Test
  void eachDrillAlertFiresWhenItShouldAndOnlyThen() throws Exception {
    List<Double> passed = new ArrayList<>(Collections.nCopies(10, 1.0));
    passed.addAll(Collections.nCopies(20, 0.0));
    List<Double> skipped = new ArrayList<>(Collections.nCopies(10, 0.0));
    skipped.addAll(Collections.nCopies(20, 1.0));
    List<Double> lastSuccess = Collections.nCopies(30, 0.0); // passed at promtool's time 0
    Map<String, String> severity = Map.of("severity", "warning");
    Promtool.check(
        Path.of("..", "configs", "prometheus", "kafka-dr-drill-alerts.yaml"),
        Map.of("8 * 86400", "15"),
        List.of(
            new Promtool.Series(
                "kdr_drill_last_passed{tenant=\"acme\",kind=\"drill-verify\"}", passed),
            new Promtool.Series(
                "kdr_drill_skipped_total{tenant=\"acme\",reason=\"outside-window\"}", skipped),
            new Promtool.Series(
                "kdr_drill_last_success_timestamp_seconds{tenant=\"acme\",kind=\"drill-verify\"}",
                lastSuccess)),
        List.of(
            new Promtool.Expect(5, "KafkaDrDrillFailed", List.of()),
            new Promtool.Expect(12, "KafkaDrDrillFailed", List.of(with(LABELS, severity))),
            new Promtool.Expect(5, "KafkaDrDrillSkipped", List.of()),
            new Promtool.Expect(
                12,
                "KafkaDrDrillSkipped",
                List.of(with(Map.of("tenant", "acme", "reason", "outside-window"), severity))),
            new Promtool.Expect(10, "KafkaDrDrillOverdue", List.of()),
            new Promtool.Expect(20, "KafkaDrDrillOverdue", List.of(with(LABELS, severity)))),
        Files.createTempDirectory("kdr-promtool-drills"));
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new java.util.HashMap<>(a);
    out.putAll(b);
    return out;
  }
}
