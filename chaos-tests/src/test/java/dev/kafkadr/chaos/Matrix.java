package dev.kafkadr.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows the matrix has produced in this run: printed as each scenario ends, written to {@code
 * target/matrix.md} when the run ends.
 */
final class Matrix {

  private static final List<MatrixRow> ROWS = new ArrayList<>();

  private Matrix() {}

  /** Records and prints {@code row}. */
  static synchronized void add(MatrixRow row) {
    ROWS.add(row);
    System.out.println("MATRIX " + row.markdown());
    System.out.println("MATRIX " + row.scenario().row() + ": " + row.verdict().summary());
  }

  /** The scenarios that produced a row so far. */
  static synchronized List<Scenario> ran() {
    return ROWS.stream().map(MatrixRow::scenario).toList();
  }

  /** Writes every row so far, sorted by scenario, to {@code file}. */
  static synchronized void write(Path file) throws IOException {
    List<MatrixRow> rows = new ArrayList<>(ROWS);
    rows.sort(java.util.Comparator.comparing(MatrixRow::scenario));
    StringBuilder md = new StringBuilder("# Fault matrix, ").append(Instant.now()).append("\n\n");
    md.append(MatrixRow.head()).append('\n');
    rows.forEach(r -> md.append(r.markdown()).append('\n'));
    Files.createDirectories(file.getParent());
    Files.writeString(file, md);
    System.out.println("MATRIX written to " + file.toAbsolutePath());
  }
}
