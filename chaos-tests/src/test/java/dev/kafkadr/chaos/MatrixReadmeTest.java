package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code chaos-tests/README.md}'s matrix table names exactly the scenarios that exist, and its rows
 * run by other tests name tests that exist.
 */
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

  /**
   * Each row the README says another test runs names a test class that exists, with its test
   * method: a renamed or deleted test would leave the row pointing at nothing.
   */
  @Test
  void everyRowRunElsewhereNamesATestThatExists() throws Exception {
    List<String> rows =
        Files.readAllLines(Path.of("README.md")).stream()
            .filter(l -> l.startsWith("- **Row "))
            .toList();
    assertThat(rows).as("rows run by other tests").isNotEmpty();
    for (String row : rows) {
      java.util.regex.Matcher named =
          java.util.regex.Pattern.compile("`(\\w+IT)#(\\w+)`").matcher(row);
      assertThat(named.find()).as("a row naming `Class#method`: " + row).isTrue();
      List<Path> found = new java.util.ArrayList<>();
      try (var modules = Files.list(Path.of(".."))) {
        for (Path tests : modules.map(m -> m.resolve("src/test/java")).toList()) {
          if (Files.isDirectory(tests)) {
            try (var files = Files.walk(tests)) {
              files
                  .filter(f -> f.getFileName().toString().equals(named.group(1) + ".java"))
                  .forEach(found::add);
            }
          }
        }
      }
      assertThat(found).as(named.group(1) + " in a module's tests").hasSize(1);
      assertThat(Files.readString(found.get(0))).contains("void " + named.group(2) + "(");
    }
  }
}
