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

  @Test
  void anExcludeWinsOverAnInclude() {
    var p = new Patterns(List.of("shop\\..*"), List.of("shop\\.tmp")).compile();
    assertThat(p.matches("shop.orders")).isTrue();
    assertThat(p.matches("shop.tmp")).isFalse();
    assertThat(p.matches("other.orders")).isFalse();
  }
}
