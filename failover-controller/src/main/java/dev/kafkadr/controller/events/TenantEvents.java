package dev.kafkadr.controller.events;

import dev.kafkadr.controller.LagMonitor;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.Scan;
import dev.kafkadr.controller.workflow.WorkflowRun;
import dev.kafkadr.controller.workflow.Workflows;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Every tenant's events, for its team's stream: RPO status changes, gaps and replication state from
 * each new scan; workflows, their steps and drills as they move. Gathered every second by comparing
 * what the controller shows now with what it showed before ({@link EventDiff}), numbered in one
 * sequence, and kept in memory, the newest {@link #KEPT} of them. The sequence belongs to this
 * incarnation of the controller: a cursor of an earlier one (or older than what is kept) is
 * answered with an {@code events-lost} event first, never silently.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class TenantEvents {

  /** How many events are kept, all tenants together. */
  public static final int KEPT = 20_000;

  /**
   * A page of the stream.
   *
   * @param events the events after the cursor, oldest first, an {@code events-lost} event first
   *     when some were skipped
   * @param next the cursor to read on from (the given one when nothing is new)
   */
  public record Page(List<TenantEvent> events, String next) {}

  private final LagMonitor monitor;
  private final Workflows workflows;
  private final String incarnation =
      Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  private final Instant startedAt = Instant.now();
  private final ArrayDeque<Numbered> kept = new ArrayDeque<>();
  private final Map<String, FlowLag> flows = new HashMap<>();
  private final Map<String, WorkflowRun.View> runs = new HashMap<>();
  private long sequence;
  private Instant scanSeen;
  private boolean baseline = true;

  private record Numbered(long sequence, TenantEvent event) {}

  TenantEvents(LagMonitor monitor, Workflows workflows) {
    this.monitor = monitor;
    this.workflows = workflows;
  }

  /**
   * Compares the newest scan and every workflow with what was seen before. The first round only
   * takes note of the scan and of workflows older than this controller: what happened before it
   * started is in the workflows and the audit log.
   */
  @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  synchronized void collect() {
    Scan scan = monitor.latest();
    if (scan != null && scan.at() != null && !scan.at().equals(scanSeen)) {
      scanSeen = scan.at();
      for (FlowLag f : scan.flows()) {
        FlowLag was = flows.put(f.tenant() + "|" + f.source() + "|" + f.target(), f);
        if (was != null && !baseline) {
          EventDiff.flow(was, f).forEach(this::add);
        }
      }
    }
    for (WorkflowRun.View v : workflows.list()) {
      WorkflowRun.View was = runs.put(v.id(), v);
      boolean since = !v.createdAt().isBefore(startedAt);
      if ((!baseline || since) && (was == null || !was.equals(v))) {
        EventDiff.workflow(was, v).forEach(this::add);
      }
    }
    baseline = false;
  }

  /** Numbers {@code e} and keeps it, dropping the oldest beyond {@link #KEPT}. */
  synchronized void add(TenantEvent e) {
    sequence++;
    kept.addLast(
        new Numbered(
            sequence,
            new TenantEvent(
                cursor(sequence), e.at(), e.tenant(), e.kind(), e.flow(), e.workflow(), e.text())));
    while (kept.size() > KEPT) {
      kept.removeFirst();
    }
  }

  private String cursor(long at) {
    return incarnation + "-" + at;
  }

  /**
   * The events of the tenants {@code tenants} accepts after {@code after}, at most {@code limit}.
   *
   * @param after a cursor from an earlier page or event; null or blank for everything kept
   * @param limit the most events to answer, 1 or more
   * @throws IllegalArgumentException when {@code after} is not a cursor
   */
  public synchronized Page since(String after, Predicate<String> tenants, int limit) {
    long from = 0;
    List<TenantEvent> out = new ArrayList<>();
    if (after != null && !after.isBlank()) {
      int dash = after.lastIndexOf('-');
      long given;
      try {
        given = Long.parseLong(after.substring(dash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "\"after\": \"" + after + "\" is no cursor (<incarnation>-<sequence>, from an event)");
      }
      if (dash <= 0 || !after.substring(0, dash).equals(incarnation)) {
        out.add(lost("the controller restarted at " + startedAt + ": earlier events are not kept"));
      } else {
        from = given;
        long oldest = kept.isEmpty() ? sequence + 1 : kept.peekFirst().sequence();
        if (from + 1 < oldest) {
          out.add(
              lost(
                  (oldest - from - 1)
                      + " events of all tenants were dropped before they were read (the newest "
                      + KEPT
                      + " are kept)"));
        }
      }
    }
    String next = after == null || after.isBlank() || !out.isEmpty() ? cursor(from) : after;
    for (Numbered n : kept) {
      if (out.size() >= limit) {
        break;
      }
      if (n.sequence() > from && tenants.test(n.event().tenant())) {
        out.add(n.event());
      }
      if (n.sequence() > from) {
        next = n.event().cursor();
      }
    }
    return new Page(out, next);
  }

  private TenantEvent lost(String why) {
    return new TenantEvent(cursor(0), Instant.now(), null, "events-lost", null, null, why);
  }
}
