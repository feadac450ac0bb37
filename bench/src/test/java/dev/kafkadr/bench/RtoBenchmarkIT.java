package dev.kafkadr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.sandbox.PluginDirectories;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One round of the RTO benchmark, so that it keeps working: a switchover and a failback under load
 * (the benchmark fails on any record lost, read twice or out of order) and a failover, each
 * measured and summarised.
 */
class RtoBenchmarkIT {

  @Test
  void oneRoundMeasuresEveryWorkflowAndItsSteps() {
    PrintStream before = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      code =
          new CommandLine(new RtoBenchmark())
              .execute(
                  "--rounds",
                  "1",
                  "--plugin-dir",
                  PluginDirectories.inBuildTree(Path.of("..")).toString());
    } finally {
      System.setOut(before);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    before.print(out);
    assertThat(code).as(out).isZero();
    assertThat(out)
        .contains("round 1 switchover -> secondary", "round 1 failback   -> primary")
        .contains("0 lost, 0 read twice")
        .contains("failover   -> secondary traffic switched")
        .contains("medians over 1 round(s)")
        .containsPattern("switchover \\(1\\) +\\d+ ms +\\d+ ms +\\d+ ms")
        .containsPattern("failover +assess \\d+, .*switch-traffic \\d+");
  }
}
