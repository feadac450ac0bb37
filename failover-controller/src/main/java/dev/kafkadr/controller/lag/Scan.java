package dev.kafkadr.controller.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One scan of every tenant on every flow.
 *
 * @param at when it started
 * @param took how long it took
 * @param flows every tenant on every flow, in file order
 * @param adminRequests admin API calls made (each a batch over many partitions)
 * @param replica the controller replica that made it, or null before it is known
 */
public record Scan(
    Instant at, Duration took, List<FlowLag> flows, int adminRequests, String replica) {

  /** A scan before the first one. */
  public static Scan none() {
    return new Scan(Instant.EPOCH, Duration.ZERO, List.of(), 0, null);
  }

  /** The same scan, made by {@code replica}. */
  public Scan by(String replica) {
    return new Scan(at, took, flows, adminRequests, replica);
  }
}
