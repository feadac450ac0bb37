package dev.kafkadr.testkit.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the shipped Prometheus alert rules over series from a test run with {@code promtool test
 * rules} (Debian's {@code prometheus} package): the rules' expressions, {@code for} durations and
 * labels exactly as shipped; only their annotations are left out of the copy tested (promtool
 * compares annotations verbatim, and they are prose).
 */
public final class Promtool {

  private Promtool() {}

  /**
   * An input series on a 1 s grid.
   *
   * @param selector name and labels, e.g. {@code kdr_scan_interval_seconds{job="kdr"}}
   * @param values one per second from 0; null where the series had no sample
   */
  public record Series(String selector, List<Double> values) {}

  /**
   * What an alert must be at one instant.
   *
   * @param atSecond the instant, in seconds from the start of the series
   * @param alert the alert's name
   * @param firing the labels of each alert instance that must fire (alertname excluded); empty when
   *     none may
   */
  public record Expect(int atSecond, String alert, List<Map<String, String>> firing) {}

  /** The rules without annotations, their {@code expr} and {@code for} scaled. */
  private static JsonNode scaled(JsonNode shipped, Map<String, String> scale) {
    for (JsonNode group : shipped.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        ObjectNode r = (ObjectNode) rule;
        r.remove("annotations");
        for (String field : List.of("expr", "for")) {
          if (r.hasNonNull(field)) {
            String text = r.get(field).asText();
            for (var e : scale.entrySet()) {
              if (text.contains(e.getKey())) {
                System.out.printf(
                    "promtool: %s of %s scaled for the test: \"%s\" -> \"%s\"%n",
                    field, r.path("alert").asText(), e.getKey(), e.getValue());
                text = text.replace(e.getKey(), e.getValue());
              }
            }
            r.put(field, text);
          }
        }
      }
    }
    return shipped;
  }

  /**
   * Tests {@code rules} over {@code series} against {@code expectations}.
   *
   * @throws AssertionError with promtool's report when an expectation does not hold
   * @throws IllegalStateException when promtool is not installed
   */
  public static void check(Path rules, List<Series> series, List<Expect> expectations, Path workDir)
      throws IOException, InterruptedException {
    check(rules, Map.of(), series, expectations, workDir);
  }

  /**
   * The same, with the rules' expressions scaled to a test's time: every key of {@code scale} in an
   * {@code expr} or {@code for} replaced by its value (e.g. {@code "> 900"} by {@code "> 20"}),
   * printed so the run says what was scaled; everything else stays as shipped.
   */
  public static void check(
      Path rules,
      Map<String, String> scale,
      List<Series> series,
      List<Expect> expectations,
      Path workDir)
      throws IOException, InterruptedException {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      throw new IllegalStateException(
          "promtool is not installed: mvn verify installs Debian's prometheus package as root;"
              + " otherwise apt-get install prometheus");
    }
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode shipped = scaled(yaml.readTree(rules.toFile()), scale);
    Path copy = workDir.resolve("rules-under-test.yaml");
    yaml.writeValue(copy.toFile(), shipped);
    Map<String, Object> test = new LinkedHashMap<>();
    test.put("interval", "1s");
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (Series s : series) {
      inputs.add(
          Map.of(
              "series",
              s.selector(),
              "values",
              s.values().stream()
                  .map(v -> v == null ? "_" : Double.toString(v))
                  .collect(Collectors.joining(" "))));
    }
    test.put("input_series", inputs);
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Expect e : expectations) {
      List<Map<String, Object>> exp = new ArrayList<>();
      e.firing().forEach(labels -> exp.add(Map.of("exp_labels", labels)));
      alerts.add(
          Map.of("eval_time", e.atSecond() + "s", "alertname", e.alert(), "exp_alerts", exp));
    }
    test.put("alert_rule_test", alerts);
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("rule_files", List.of(copy.getFileName().toString()));
    file.put("evaluation_interval", "1s");
    file.put("tests", List.of(test));
    Path tests = workDir.resolve("rule-tests.yaml");
    yaml.writeValue(tests.toFile(), file);
    Process p =
        new ProcessBuilder(promtool.toString(), "test", "rules", tests.getFileName().toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .start();
    String out;
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("promtool did not finish in 60 s");
      }
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "the alert rules of "
              + rules
              + " did not behave as expected over this run's series:\n"
              + out
              + "\ntest file: "
              + Files.readString(tests));
    }
  }
}
