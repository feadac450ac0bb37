package dev.kafkadr.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  @Test
  void aCommandRunThroughTheLauncherSeesItsClockOffByTheOffset() throws Exception {
    if (FakeClock.unavailable().isPresent() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort(FakeClock.unavailable().get());
    }
    List<String> command = new ArrayList<>(FakeClock.launcher(Duration.ofMinutes(-3)));
    command.addAll(List.of("date", "+%s"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    long skewed = Long.parseLong(out);
    long now = System.currentTimeMillis() / 1000;
    assertThat(now - skewed).as("seconds behind, from: " + out).isBetween(178L, 182L);
  }
}
