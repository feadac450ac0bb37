package dev.kafkadr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void percentilesUseTheNearestRank() {
    List<Integer> values = List.of(5, 1, 4, 2, 3, 10, 9, 8, 7, 6);

    assertThat(Stats.percentile(values, 50)).isEqualTo(5.0);
    assertThat(Stats.percentile(values, 99)).isEqualTo(10.0);
    assertThat(Stats.percentile(values, 100)).isEqualTo(10.0);
    assertThat(Stats.percentile(values, 10)).isEqualTo(1.0);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void refusesEmptyInputAndBadPercentiles() {
    assertThatThrownBy(() -> Stats.median(List.of())).hasMessageContaining("no values");
    assertThatThrownBy(() -> Stats.percentile(List.of(1), 0)).hasMessageContaining("(0, 100]");
  }
}
