package dev.kafkadr.chaos;

import dev.kafkadr.testkit.prometheus.Promtool;
import dev.kafkadr.testkit.prometheus.ScrapeRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shipped alert rules ({@code configs/prometheus/kafka-dr-alerts.yaml}) evaluated by {@code
 * promtool test rules} over the series the link-cut scenario scraped from the controller: {@code
 * KafkaDrLagUnknown}, its {@code for} scaled from 5 minutes to 8 s to fit a 25 s cut (printed; the
 * shipped file is unchanged), must not fire before the cut, must fire for every tenant replicated
 * over the link during it (the controller, in the secondary's region, cannot measure the primary:
 * its figures are UNKNOWN, because a read timed out or because scans are late) and must have
 * resolved by the end. Every scraped series is printed with its maximum before and during the cut:
 * the heartbeat's age, written in the target's region, stays low throughout.
 */
final class CutAlertReplay {

  /** The series the replay reads and prints. */
  static final List<String> METRICS =
      List.of(
          "kdr_scan_last_timestamp_seconds",
          "kdr_tenant_heartbeat_age_seconds",
          "kdr_tenant_lag_seconds",
          "kdr_tenant_rpo_status");

  private CutAlertReplay() {}

  /**
   * @param from when the series start (wall-clock millis): the rule test's time 0
   * @param cutAt when the link was cut
   * @param healedAt when it was healed
   * @param until when the series end
   */
  static void check(ScrapeRecorder scrape, long from, long cutAt, long healedAt, long until)
      throws Exception {
    int seconds = (int) ((until - from) / 1000);
    int cut = (int) ((cutAt - from) / 1000);
    int healed = (int) ((healedAt - from) / 1000);
    List<Promtool.Series> series = new ArrayList<>();
    List<Map<String, String>> firing = new ArrayList<>();
    for (String name : scrape.series()) {
      List<Double> grid = scrape.grid(name, from, seconds, 0);
      System.out.printf(
          "link cut: %s, highest figure (NaN left out) before the cut %s, during it %s, at the end"
              + " %s%n",
          name,
          max(grid, 0, cut),
          max(grid, cut, healed),
          grid.isEmpty() ? null : grid.get(grid.size() - 1));
      if (name.startsWith("kdr_tenant_rpo_status{")) {
        series.add(new Promtool.Series(name, grid));
        Map<String, String> labels = labels(name);
        labels.put("severity", "warning");
        firing.add(labels);
      }
    }
    if (firing.size() != 2) {
      throw new AssertionError(
          "scraped " + scrape.series() + ", last error: " + scrape.lastError());
    }
    Promtool.check(
        Path.of("..", "configs", "prometheus", "kafka-dr-alerts.yaml"),
        Map.of("5m", "8s"),
        series,
        List.of(
            new Promtool.Expect(Math.max(1, cut - 1), "KafkaDrLagUnknown", List.of()),
            new Promtool.Expect(healed - 1, "KafkaDrLagUnknown", firing),
            new Promtool.Expect(seconds - 1, "KafkaDrLagUnknown", List.of())),
        Files.createTempDirectory("kdr-promtool"));
  }

  /** The labels of a scraped series name, {@code name{a="x",b="y"}}. */
  static Map<String, String> labels(String series) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    String inner = series.substring(series.indexOf('{') + 1, series.lastIndexOf('}'));
    for (String pair : inner.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim().replace("\"", ""));
      }
    }
    return out;
  }

  private static Double max(List<Double> grid, int from, int to) {
    return grid.subList(Math.min(from, grid.size()), Math.min(to, grid.size())).stream()
        .filter(v -> v != null && !v.isNaN())
        .max(Double::compare)
        .orElse(null);
  }
}
