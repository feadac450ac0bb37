package dev.kafkadr.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PatternOverlapTest {

  private static java.util.Optional<String> common(Patterns a, Patterns b) {
    return PatternOverlap.commonExample(
        PatternOverlap.selection(a, PatternOverlap.TOPIC_NAMES),
        PatternOverlap.selection(b, PatternOverlap.TOPIC_NAMES));
  }

  private static Patterns include(String... patterns) {
    return new Patterns(List.of(patterns), List.of());
  }

  @Test
  void neighbouringPrefixesWithASeparatorAreDisjoint() {
    assertThat(common(include("acme\\..*"), include("acme-eu\\..*"))).isEmpty();
  }

  @Test
  void aLooserPatternOverlapsAndAShortestSharedNameIsShown() {
    assertThat(common(include("acme.*"), include("acme-eu\\..*"))).contains("acme-eu.");
  }

  @Test
  void anExcludeCanRemoveTheOverlap() {
    Patterns loose = new Patterns(List.of("acme.*"), List.of("acme-eu\\..*"));

    assertThat(common(loose, include("acme-eu\\..*"))).isEmpty();
  }

  @Test
  void onlyLegalTopicNamesCount() {
    // Both match "a b" (with a space), which no Kafka topic can be called.
    assertThat(common(include("a[ x]b"), include("a[ y]b"))).isEmpty();
  }

  @Test
  void translatesShorthandsQuotesAndNonCapturingGroups() {
    assertThat(common(include("orders-\\d+"), include("orders-(?:1|2)"))).contains("orders-1");
    assertThat(common(include("\\Qa.b\\E"), include("a\\.b"))).contains("a.b");
    assertThat(common(include("^x\\w$"), include("x_"))).contains("x_");
  }

  @Test
  void refusesConstructsItCannotDecide() {
    assertThatThrownBy(() -> PatternOverlap.toAutomaton("(?!tmp).*"))
        .hasMessageContaining("look-around");
    assertThatThrownBy(() -> PatternOverlap.toAutomaton("a\\bc")).hasMessageContaining("\\b");
    assertThatThrownBy(() -> PatternOverlap.toAutomaton("(a)\\1")).hasMessageContaining("\\1");
  }

  @Test
  void characterClassesKeepTheirMeaning() {
    assertThat(common(include("t[^0-9]"), include("t5"))).isEmpty();
    assertThat(common(include("t[a-c&]"), include("tb"))).contains("tb");
  }
}
