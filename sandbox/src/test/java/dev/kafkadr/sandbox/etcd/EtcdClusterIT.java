package dev.kafkadr.sandbox.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Three etcd members on 127.0.0.1, driven with Debian's {@code etcdctl}: a write with quorum, a
 * write with one member killed, none with two killed, all back after restarts on their data, and
 * every member's PID gone after close.
 */
class EtcdClusterIT {

  @Test
  void aClusterOfThreeKeepsQuorumWithOneMemberLostAndStopsByPid() throws Exception {
    if (EtcdCluster.find().isEmpty() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("etcd is not installed (apt-get install etcd-server etcd-client)");
    }
    Path dir = Files.createTempDirectory("kdr-etcd-it");
    List<Long> pids = new ArrayList<>();
    try (EtcdCluster etcd =
        EtcdCluster.start(dir, EtcdCluster.DEFAULT_MEMBERS, Duration.ofSeconds(30))) {
      etcd.names().forEach(n -> pids.add(etcd.member(n).pid()));
      assertThat(pids).allMatch(p -> p > 0).doesNotHaveDuplicates();
      assertThat(etcdctl(etcd.endpointList(), "put", "/kdr/a", "1")).isEqualTo("OK");

      etcd.member("witness").kill();
      // The killed member may have led: the two left elect a leader first (1 s election timeout).
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "OK".equals(etcdctl(etcd.endpointList(), "put", "/kdr/b", "2")));

      etcd.member("secondary").kill();
      assertThat(etcdctl(etcd.endpoint("primary"), "put", "/kdr/c", "3"))
          .as("no quorum with one member of three")
          .contains("Error");

      etcd.member("secondary").start();
      etcd.member("witness").start();
      etcd.names().forEach(n -> etcd.awaitHealthy(n, Duration.ofSeconds(30)));
      assertThat(etcdctl(etcd.endpoint("witness"), "get", "--print-value-only", "/kdr/b"))
          .isEqualTo("2");
      pids.clear();
      etcd.names().forEach(n -> pids.add(etcd.member(n).pid()));
    }
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("etcd PID %d after close", pid)
          .isFalse();
    }
  }

  /** Runs etcdctl (API v3) against {@code endpoints}; its output, trimmed, errors included. */
  private static String etcdctl(String endpoints, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "etcdctl",
                "--endpoints=" + endpoints,
                "--command-timeout=3s",
                "--dial-timeout=1s"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ETCDCTL_API", "3");
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
