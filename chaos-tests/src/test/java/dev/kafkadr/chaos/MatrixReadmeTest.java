package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code chaos-tests/README.md}'s matrix table names exactly the scenarios that exist. */
class MatrixReadmeTest {

  @Test
  void theReadmesTableHasOneRowPerScenarioInOrderWithItsFaultAndInvariant() throws Exception {
    List<String> rows =
        Files.readAllLines(Path.of("README.md")).stream()
            .filter(l -> l.matches("\\| \\d+[a-z]? \\|.*"))
            .toList();
    assertThat(rows.stream().map(r -> r.split("\\|")[1].trim()))
        .as("the rows of README.md's table")
        .containsExactlyElementsOf(Arrays.stream(Scenario.values()).map(Scenario::row).toList());
    for (Scenario s : Scenario.values()) {
      String row = rows.get(s.ordinal());
      assertThat(row).as("row " + s.row()).contains(s.fault(), s.invariant());
    }
  }
}
