package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.controller.traffic.DnsSwitchException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which failed DNS attempts a workflow tries again (the rule; the retries themselves are SmallRye
 * Fault Tolerance's, run inside the controller by DnsOutageIT).
 */
class DnsRetryTest {

  private static final DnsSwitchException REFUSED_KEY =
      DnsSwitchException.keyRejected("update not made: wrong secret for key k");

  @Test
  void aRefusedKeyIsTriedAgainForTenSecondsOnly() {
    assertThat(DnsRetry.tryAgain(REFUSED_KEY, Duration.ofMillis(200))).isTrue();
    assertThat(DnsRetry.tryAgain(REFUSED_KEY, DnsRetry.KEY_REFUSED_FOR)).isTrue();
    assertThat(DnsRetry.tryAgain(REFUSED_KEY, DnsRetry.KEY_REFUSED_FOR.plusMillis(1))).isFalse();
  }

  @Test
  void anUnreachableServerIsTriedAgainAndAnotherRefusalIsNot() {
    var unreachable = new DnsSwitchException("no answer", new java.io.IOException("timed out"));
    assertThat(DnsRetry.tryAgain(unreachable, Duration.ofMinutes(1))).isTrue();
    var raced = new DnsSwitchException("not made: another switch came first");
    assertThat(DnsRetry.tryAgain(raced, Duration.ZERO)).isFalse();
    assertThat(DnsRetry.tryAgain(new IllegalStateException("lease lost"), Duration.ZERO)).isFalse();
  }
}
