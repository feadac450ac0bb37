package dev.kafkadr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.sandbox.etcd.EtcdCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * One round per case of the takeover benchmark, so that it keeps working: the leader killed in the
 * middle of a workflow, alone and with etcd's leader, and the other replica resuming it.
 */
class TakeoverBenchmarkIT {

  @Test
  void oneRoundPerCaseMeasuresTheTakeover() {
    if (EtcdCluster.find().isEmpty() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("etcd is not installed (apt-get install etcd-server etcd-client)");
    }
    var result = BenchCommand.run(new TakeoverBenchmark(), "--rounds", "1");
    String out = result.getValue();
    assertThat(result.getKey()).as(out).isZero();
    assertThat(out)
        .containsPattern("etcd leader survives +round 1: replica-. SIGKILLed during a switchover")
        .containsPattern(
            "etcd leader lost too +round 1: replica-. SIGKILLed with etcd member \\w+ \\(etcd's"
                + " leader\\) during a failback")
        .containsPattern(
            "etcd leader survives +other replica leads +\\d+ ms, workflow resumed +\\d+ ms")
        .containsPattern(
            "etcd leader lost too +other replica leads +\\d+ ms, workflow resumed +\\d+ ms");
  }
}
