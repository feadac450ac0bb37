package dev.kafkadr.bench;

import java.time.Duration;

/** Waiting for a condition in the benchmarks, polled every 20 ms. */
final class Waits {

  /** A condition that may throw while it is checked. */
  interface Check {
    boolean ok() throws Exception;
  }

  private Waits() {}

  /**
   * Returns once {@code check} holds.
   *
   * @throws IllegalStateException naming {@code what} when it does not hold within {@code atMost}
   */
  static void until(Check check, Duration atMost, String what) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("gave up waiting for " + what + " after " + atMost);
      }
      Thread.sleep(20);
    }
  }
}
