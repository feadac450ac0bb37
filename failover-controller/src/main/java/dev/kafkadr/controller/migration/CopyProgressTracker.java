package dev.kafkadr.controller.migration;

import dev.kafkadr.controller.lag.FlowLag;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The scans of each tenant flow seen by progress requests over the last {@link #WINDOW}, so that
 * the copy rate is measured over up to a minute rather than between two scans a second apart.
 * Requests drive it: the first request after a quiet spell has no rate yet, and says so.
 */
@ApplicationScoped
public class CopyProgressTracker {

  /** How far back the rate is measured. */
  static final Duration WINDOW = Duration.ofSeconds(60);

  private final Map<String, Deque<FlowLag>> seen = new HashMap<>();

  /** The progress {@code now} shows, its rate measured against the oldest scan kept. */
  public synchronized CopyProgress progress(FlowLag now) {
    Deque<FlowLag> scans =
        seen.computeIfAbsent(
            now.tenant() + "|" + now.source() + "|" + now.target(), k -> new ArrayDeque<>());
    if (scans.isEmpty() || scans.peekLast().measuredAt().isBefore(now.measuredAt())) {
      scans.addLast(now);
    }
    while (scans.size() > 1
        && scans.peekFirst().measuredAt().isBefore(now.measuredAt().minus(WINDOW))) {
      scans.removeFirst();
    }
    FlowLag oldest = scans.peekFirst();
    return CopyProgress.of(now, oldest == now ? null : oldest);
  }
}
