package dev.kafkadr.controller.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last minutes of scans, for the status page's lag-versus-RPO charts: per tenant flow, one
 * point per scan, points older than the window dropped.
 */
public final class LagHistory {

  /**
   * One tenant flow in one scan.
   *
   * @param at when the scan ran
   * @param tenant tenant id
   * @param source source alias
   * @param target target alias
   * @param lagSeconds age of the oldest uncopied record
   * @param lagRecords offsets not yet copied
   * @param status against the RPO
   */
  public record Point(
      Instant at,
      String tenant,
      String source,
      String target,
      double lagSeconds,
      long lagRecords,
      RpoStatus status) {}

  private final Duration window;
  private final Deque<Point> points = new ArrayDeque<>();

  /** A history of the last {@code window}. */
  public LagHistory(Duration window) {
    this.window = window;
  }

  /** Adds every flow of {@code scan}. */
  public synchronized void add(Scan scan) {
    for (FlowLag f : scan.flows()) {
      points.addLast(
          new Point(
              scan.at(),
              f.tenant(),
              f.source(),
              f.target(),
              f.lagSeconds(),
              f.lagRecords(),
              f.status()));
    }
    Instant oldest = scan.at().minus(window);
    while (!points.isEmpty() && points.peekFirst().at().isBefore(oldest)) {
      points.removeFirst();
    }
  }

  /** The points of one tenant, oldest first. */
  public synchronized List<Point> of(String tenant) {
    return points.stream().filter(p -> p.tenant().equals(tenant)).toList();
  }
}
