package dev.kafkadr.controller;

import dev.kafkadr.testkit.prometheus.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped certificate alert rules under promtool: a certificate whose expiry comes nearer (the
 * rules' 21 and 3 days scaled to 60 and 20 seconds, printed) and a store that stops being readable.
 */
class CertificateAlertsIT {

  @Test
  void eachCertificateAlertFiresWhenItShouldAndOnlyThen() throws Exception {
    String cert = "source=\"controller-https\",subject=\"CN=controller\",serial=\"1f\"";
    Map<String, String> labels =
        Map.of("source", "controller-https", "subject", "CN=controller", "serial", "1f");
    List<Double> readable = new java.util.ArrayList<>(Collections.nCopies(40, 1.0));
    readable.addAll(Collections.nCopies(60, 0.0));
    Promtool.check(
        Path.of("..", "configs", "prometheus", "kafka-dr-tls-alerts.yaml"),
        Map.of("21 * 86400", "60", "3 * 86400", "20"),
        List.of(
            // expires at Unix second 100: 100 - t seconds left at second t
            new Promtool.Series(
                "kdr_certificate_expiry_timestamp_seconds{" + cert + "}",
                Collections.nCopies(100, 100.0)),
            new Promtool.Series(
                "kdr_certificate_store_readable{source=\"primary-truststore\"}", readable)),
        List.of(
            new Promtool.Expect(30, "KafkaDrCertificateExpiresSoon", List.of()),
            new Promtool.Expect(
                50, "KafkaDrCertificateExpiresSoon", List.of(with(labels, "warning"))),
            new Promtool.Expect(50, "KafkaDrCertificateExpiring", List.of()),
            new Promtool.Expect(
                85, "KafkaDrCertificateExpiring", List.of(with(labels, "critical"))),
            new Promtool.Expect(30, "KafkaDrCertificateStoreUnreadable", List.of()),
            new Promtool.Expect(
                45,
                "KafkaDrCertificateStoreUnreadable",
                List.of(with(Map.of("source", "primary-truststore"), "warning")))),
        Files.createTempDirectory("kdr-promtool-certificates"));
  }

  private static Map<String, String> with(Map<String, String> labels, String severity) {
    Map<String, String> out = new java.util.HashMap<>(labels);
    out.put("severity", severity);
    return out;
  }
}
