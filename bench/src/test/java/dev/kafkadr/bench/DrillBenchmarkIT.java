package dev.kafkadr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The drill benchmark on a small tenant (64 MiB), so that it keeps working: both drills pass and
 * every figure is printed.
 */
class DrillBenchmarkIT {

  @Test
  void aFullAndAnIncrementalDrillAreMeasured() {
    var result = BenchCommand.run(new DrillBenchmark(), "--mib", "64");
    int code = result.getKey();
    String out = result.getValue();
    assertThat(code).as(out).isZero();
    assertThat(out)
        .containsPattern("full drill: 65,536 records, 64 MiB of values per side compared in")
        .containsPattern("MiB/s per side")
        .contains("incremental drill (1% more records)")
        .containsPattern("a 100 GiB tenant at this rate: [0-9.]+ minutes");
  }
}
