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

/**
 * Every tenant's events, for its team's stream: RPO status changes, gaps and replication state from
 * each new scan; workflows, their steps and drills as they move. Gathered every second by comparing
 * what the controller shows now with what it showed before ({@link EventDiff}), numbered in one
 * sequence per tenant (so that a cursor tells nothing of other tenants), and kept in memory, the
 * newest {@link #KEPT} of each tenant. The sequences belong to this incarnation of the controller:
 * a cursor of an earlier one, or older than what is kept, is answered with an {@code events-lost}
 * event first, never silently.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class TenantEvents {

  /** How many events are kept per tenant. */
  public static final int KEPT = 5_000;

  /**
   * A page of a tenant's stream.
   *
   * @param events the events after the cursor, oldest first, an {@code events-lost} event first
   *     when some were skipped (not counted against the page's limit)
   * @param next the cursor to read on from (the given one when nothing is new)
   */
  public record Page(List<TenantEvent> events, String next) {}

  private final LagMonitor monitor;
  private final Workflows workflows;
  private final String incarnation =
      Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  private final Instant startedAt = Instant.now();
  private final Map<String, Stream> streams = new HashMap<>();
  private final Map<String, FlowLag> flows = new HashMap<>();
  private final Map<String, WorkflowRun.View> runs = new HashMap<>();
  private Instant scanSeen;
  private boolean baseline = true;

  private record Numbered(long sequence, TenantEvent event) {}

  /** One tenant's events: its sequence and the newest {@link #KEPT}. */
  private static final class Stream {
    long sequence;
    final ArrayDeque<Numbered> kept = new ArrayDeque<>();
  }

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
      java.util.Set<String> measured = new java.util.HashSet<>();
      for (FlowLag f : scan.flows()) {
        String key = f.tenant() + "|" + f.source() + "|" + f.target();
        measured.add(key);
        FlowLag was = flows.put(key, f);
        if (was != null && !baseline) {
          EventDiff.flow(was, f).forEach(this::add);
        }
      }
      flows.keySet().retainAll(measured); // a flow no longer measured is forgotten
    }
    List<WorkflowRun.View> shown = workflows.list();
    runs.keySet().retainAll(shown.stream().map(WorkflowRun.View::id).toList()); // archived ones
    for (WorkflowRun.View v : shown) {
      WorkflowRun.View was = runs.put(v.id(), v);
      boolean since = !v.createdAt().isBefore(startedAt);
      if ((!baseline || since) && (was == null || !was.equals(v))) {
        EventDiff.workflow(was, v).forEach(this::add);
      }
    }
    baseline = false;
  }

  /** Numbers {@code e} in its tenant's stream and keeps it, dropping the oldest beyond KEPT. */
  synchronized void add(TenantEvent e) {
    Stream stream = streams.computeIfAbsent(e.tenant(), t -> new Stream());
    stream.sequence++;
    stream.kept.addLast(
        new Numbered(
            stream.sequence,
            new TenantEvent(
                cursor(stream.sequence),
                e.at(),
                e.tenant(),
                e.kind(),
                e.flow(),
                e.workflow(),
                e.text())));
    while (stream.kept.size() > KEPT) {
      stream.kept.removeFirst();
    }
  }

  private String cursor(long at) {
    return incarnation + "-" + at;
  }

  /**
   * {@code tenant}'s events after {@code after}, at most {@code limit} of them.
   *
   * @param after a cursor from an earlier page or event of this tenant; null or blank for all kept
   * @param tenant the tenant
   * @param limit the most events to answer, 1 or more
   * @throws IllegalArgumentException when {@code after} is not a cursor, or is ahead of the stream
   */
  public synchronized Page since(String after, String tenant, int limit) {
    Stream stream = streams.getOrDefault(tenant, new Stream());
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
        out.add(
            lost(
                tenant,
                0,
                "the controller restarted at " + startedAt + ": earlier events are not kept"));
      } else if (given > stream.sequence || given < 0) {
        throw new IllegalArgumentException(
            "\"after\": \""
                + after
                + "\" is ahead of tenant "
                + tenant
                + "'s events (the newest is "
                + cursor(stream.sequence)
                + ")");
      } else {
        from = given;
        long oldest =
            stream.kept.isEmpty() ? stream.sequence + 1 : stream.kept.peekFirst().sequence();
        if (from + 1 < oldest) {
          long dropped = oldest - from - 1;
          from = oldest - 1;
          out.add(
              lost(
                  tenant,
                  from,
                  dropped
                      + " events were dropped before they were read (the newest "
                      + KEPT
                      + " of each tenant are kept)"));
        }
      }
    }
    String next = cursor(from);
    int taken = 0;
    for (Numbered n : stream.kept) {
      if (taken >= limit) {
        break;
      }
      if (n.sequence() > from) {
        out.add(n.event());
        next = n.event().cursor();
        taken++;
      }
    }
    return new Page(out, next);
  }

  private TenantEvent lost(String tenant, long at, String why) {
    return new TenantEvent(cursor(at), Instant.now(), tenant, "events-lost", null, null, why);
  }
}
