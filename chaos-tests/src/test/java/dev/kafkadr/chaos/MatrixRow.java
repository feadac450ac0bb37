package dev.kafkadr.chaos;

import dev.kafkadr.testkit.history.Verdict;

/**
 * One scenario's figures, as the matrix prints them.
 *
 * @param scenario the scenario
 * @param ackedPerSecond acknowledged records per second over the load's whole run
 * @param verdict what the copy's reader saw against what the producer was told
 * @param measured the scenario's own figures (a bound, latencies, a catch-up time), one phrase
 * @param wallSeconds the scenario's wall time, load and fault and checks
 */
record MatrixRow(
    Scenario scenario,
    double ackedPerSecond,
    Verdict verdict,
    String measured,
    double wallSeconds) {

  /** The row as a line of the markdown table. */
  String markdown() {
    return String.format(
        "| %s | %s | %s | %,.0f | %,d | %,d | %,d | %,d | %s | %.0f s |",
        scenario.row(),
        scenario.fault(),
        scenario.invariant(),
        ackedPerSecond,
        verdict.lost(),
        verdict.readTwice(),
        verdict.outOfOrder(),
        verdict.unseen(),
        measured,
        wallSeconds);
  }

  /** The table's head, matching {@link #markdown()}. */
  static String head() {
    return "| row | fault | invariant | acked/s | lost | read twice | out of order | unseen"
        + " | measured | wall |\n|---|---|---|---|---|---|---|---|---|---|";
  }
}
