package dev.kafkadr.testkit.history;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the Unix epoch: the unit of every time in a history, so
 * that it compares directly with the instants the controller reports ({@code measuredAt}) on the
 * same machine.
 */
public final class Micros {

  private Micros() {}

  /** Now, in microseconds since the epoch (the JVM's clock resolution, microseconds on Linux). */
  public static long now() {
    return of(Instant.now());
  }

  /** {@code instant} in microseconds since the epoch. */
  public static long of(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  /** The instant of {@code micros} microseconds since the epoch. */
  public static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
  }
}
