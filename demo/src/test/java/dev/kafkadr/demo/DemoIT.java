package dev.kafkadr.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.sandbox.SandboxOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo as a user runs it: lag shrinks to zero, the neighbour stays put, nothing is left. */
class DemoIT {

  private static final Pattern LAG = Pattern.compile("lag +([\\d,]+) records");

  @Test
  void showsReplicationCatchingUpThenASwitchoverAndFailbackAndStopsEverything() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code =
          new CommandLine(new Demo())
              .execute(
                  "--duration",
                  "12s",
                  "--backlog",
                  "30000",
                  "--rate",
                  "500",
                  "--plugin-dir",
                  System.getProperty("kdr.plugin.dir"));
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    assertThat(code).isZero();
    List<Long> lags =
        LAG.matcher(output)
            .results()
            .map(m -> Long.parseLong(m.group(1).replace(",", "")))
            .toList();
    assertThat(lags).hasSizeGreaterThanOrEqualTo(8);
    assertThat(lags.get(0)).isGreaterThan(10_000);
    assertThat(lags.subList(lags.size() - 3, lags.size()))
        .allSatisfy(l -> assertThat(l).isLessThan(1_000));
    assertThat(output)
        .contains("first record on secondary: demo.orders-0@0", "kdr.provenance=1;0;");
    assertThat(output)
        .contains(
            "switchover of demo: primary -> secondary",
            "switchover of demo done: RPO 0 records lost (measured after the drain); RTO",
            "failback of demo: secondary -> primary",
            "failback of demo done: RPO 0 records lost (measured after the drain); RTO",
            "0 lost, 0 read twice");
    assertThat(output).doesNotContain("application error");
    assertThat(output).contains("tenant demo-eu's topic on secondary: absent");
    assertThat(output).contains("demo stopped");
    assertThat(SandboxOptions.defaultRoot().resolve("demo"))
        .as("the demo's work directory")
        .doesNotExist();
  }

  @Test
  void aBadDurationIsRejectedNamingTheOption() {
    assertThat(
            new CommandLine(new Demo())
                .setErr(new java.io.PrintWriter(new java.io.StringWriter()))
                .execute("--duration", "soon"))
        .isEqualTo(2);
  }
}
