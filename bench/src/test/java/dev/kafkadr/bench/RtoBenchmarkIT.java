package dev.kafkadr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * One round of the RTO benchmark, so that it keeps working: a switchover and a failback under load
 * (the benchmark fails on any record lost, read twice or out of order) and a failover, each
 * measured and summarised.
 */
class RtoBenchmarkIT {

  @Test
  void oneRoundMeasuresEveryWorkflowAndItsSteps() {
    var result = BenchCommand.run(new RtoBenchmark(), "--rounds", "1");
    int code = result.getKey();
    String out = result.getValue();
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
