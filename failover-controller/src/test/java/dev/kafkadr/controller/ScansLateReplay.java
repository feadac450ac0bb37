package dev.kafkadr.controller;

import dev.kafkadr.testkit.prometheus.Promtool;
import dev.kafkadr.testkit.prometheus.ScrapeRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays the scan-timestamp series scraped during a stalled scan through the shipped alert rules
 * with promtool: {@code KafkaDrScansLate} must be quiet before the stall, fire once the API called
 * the scans late, and be quiet again at the end.
 */
final class ScansLateReplay {

  private ScansLateReplay() {}

  /**
   * @param from when the series start (wall-clock millis): simulated time 0
   * @param stalled when the scan was stalled
   * @param late when the API first reported the scans late
   */
  static void check(ScrapeRecorder scrape, long from, long stalled, long late) throws Exception {
    int seconds = (int) ((System.currentTimeMillis() - from) / 1000);
    double shift = from / 1000.0;
    List<Promtool.Series> series = new ArrayList<>();
    for (String name : scrape.series()) {
      // Timestamps move onto promtool's clock, which starts at 0 with the series.
      double by = name.startsWith("kdr_scan_last") ? shift : 0;
      series.add(new Promtool.Series(name, scrape.grid(name, from, seconds, by)));
    }
    if (series.size() != 2) {
      throw new AssertionError(
          "scraped " + scrape.series() + ", last error: " + scrape.lastError());
    }
    int stalledAt = (int) ((stalled - from) / 1000);
    int lateAt = (int) Math.ceil((late - from) / 1000.0) + 1;
    System.out.printf(
        "scan stalled at %d s of the series, reported late by the API at %d s, resumed;"
            + " promtool checks KafkaDrScansLate over %d s of scraped series%n",
        stalledAt, lateAt - 1, seconds);
    Promtool.check(
        Path.of("..", "configs", "prometheus", "kafka-dr-alerts.yaml"),
        series,
        List.of(
            new Promtool.Expect(Math.max(1, stalledAt - 1), "KafkaDrScansLate", List.of()),
            new Promtool.Expect(
                lateAt, "KafkaDrScansLate", List.of(Map.of("severity", "critical"))),
            new Promtool.Expect(seconds - 1, "KafkaDrScansLate", List.of())),
        Files.createTempDirectory("kdr-promtool"));
  }
}
