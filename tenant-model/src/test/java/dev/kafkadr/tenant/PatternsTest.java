package dev.kafkadr.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatternsTest {

  @Test
  void streamsRepartitionTopicsAreLeftOutUnlessAskedForAndChangelogsAreNot() {
    var shop = new Patterns(List.of("shop-.*"), List.of()).compile();
    assertThat(shop.matches("shop-streams-KSTREAM-AGGREGATE-0000000003-repartition")).isFalse();
    assertThat(shop.matches("shop-streams-store-changelog")).isTrue();
    assertThat(shop.matches("shop-orders")).isTrue();

    var asked =
        new Patterns(List.of("shop-.*", "shop-streams-.*-repartition"), List.of()).compile();
    assertThat(asked.matches("shop-streams-KSTREAM-AGGREGATE-0000000003-repartition")).isTrue();
  }

  /**
   * Java's backtracking engine needs seconds for this pattern on a 31-character name, more the
   * longer the name; RE2 matches in time linear in the name.
   */
  @Test
  void aPatternThatBacktracksInJavaMatchesTheLongestTopicNameInLinearTime() {
    var p = new Patterns(List.of("(.*a){12}"), List.of()).compile();
    String name = "a".repeat(11) + "b".repeat(238);
    assertThat(name).hasSize(249);
    p.matches(name); // warm up
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      assertThat(p.matches(name)).isFalse();
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf(
        "pattern (.*a){12} against a 249-character topic name: %.3f ms (RE2/J)%n", best / 1e6);
    assertThat(best).isLessThan(10_000_000L);
    assertThat(p.matches("a".repeat(12))).isTrue();
  }

  @Test
  void anExcludeWinsOverAnInclude() {
    var p = new Patterns(List.of("shop\\..*"), List.of("shop\\.tmp")).compile();
    assertThat(p.matches("shop.orders")).isTrue();
    assertThat(p.matches("shop.tmp")).isFalse();
    assertThat(p.matches("other.orders")).isFalse();
  }
}
