package dev.kafkadr.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.controller.ControllerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private static LoginThrottle throttle(int perAddress, int perUser) {
    return new LoginThrottle(
        new ControllerConfig.FailedLogins() {
          @Override
          public int perAddress() {
            return perAddress;
          }

          @Override
          public int perUser() {
            return perUser;
          }

          @Override
          public Duration refill() {
            return Duration.ofHours(1);
          }

          @Override
          public Duration rememberAddress() {
            return Duration.ofDays(7);
          }
        });
  }

  @Test
  void anAddressIsSlowedOnceItsFailuresSpendItsAllowanceAndOthersAreNot() {
    LoginThrottle t = throttle(3, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(t.admit("ann", "10.0.0.1").refused()).isFalse();
    }
    LoginThrottle.Admission refused = t.admit("ann", "10.0.0.1");
    assertThat(refused.refusedBy()).contains("address");
    // 3 tokens an hour: the next one in 20 minutes.
    assertThat(refused.retryAfter()).isBetween(Duration.ofMinutes(19), Duration.ofMinutes(21));
    assertThat(t.admit("bob", "10.0.0.1").refused()).as("any user from that address").isTrue();
    assertThat(t.admit("ann", "10.0.0.2").refused()).as("the user from elsewhere").isFalse();
  }

  @Test
  void aLoginThatSucceedsSpendsNothing() {
    LoginThrottle t = throttle(2, 2);
    for (int i = 0; i < 10; i++) {
      LoginThrottle.Admission a = t.admit("ann", "10.0.0.1");
      assertThat(a.refused()).isFalse();
      t.succeeded(a);
    }
  }

  @Test
  void guessesFromManyAddressesSlowTheNameOnlyWhereTheUserHasNotLoggedIn() {
    LoginThrottle t = throttle(10, 3);
    t.succeeded(t.admit("ann", "192.0.2.1"));
    for (int i = 0; i < 3; i++) {
      assertThat(t.admit("ann", "198.18.0." + i).refused()).isFalse();
    }
    LoginThrottle.Admission stranger = t.admit("ann", "198.18.0.99");
    assertThat(stranger.refusedBy()).contains("user");
    assertThat(t.admit("ann", "192.0.2.1").refused()).as("from where ann logged in").isFalse();
    assertThat(t.admit("bob", "198.18.0.99").refused()).as("another user").isFalse();
  }

  @Test
  void aRefusalForTheUserGivesTheAddressItsTokenBack() {
    LoginThrottle t = throttle(2, 1);
    assertThat(t.admit("ann", "10.0.0.1").refused()).isFalse();
    for (int i = 0; i < 5; i++) {
      assertThat(t.admit("ann", "10.0.0.1").refusedBy()).contains("user");
    }
    assertThat(t.admit("bob", "10.0.0.1").refused()).as("one token left for the address").isFalse();
    assertThat(t.admit("cy", "10.0.0.1").refusedBy()).contains("address");
  }

  @Test
  void aHugeUserNameIsCountedUnderItsHash() {
    String huge = "x".repeat(20_000);
    assertThat(LoginThrottle.key(huge)).startsWith("sha256:").hasSize(7 + 64);
    assertThat(LoginThrottle.key("ann")).isEqualTo("ann");
    LoginThrottle t = throttle(100, 1);
    assertThat(t.admit(huge, "10.0.0.1").refused()).isFalse();
    assertThat(t.admit(huge, "10.0.0.2").refusedBy()).contains("user");
  }
}
