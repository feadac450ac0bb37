package dev.kafkadr.controller.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.controller.store.StateStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One workflow's journal: an append-only log of JSON events in the controller's {@link StateStore},
 * each durable before the call returns, so that what a step did survives a controller killed right
 * after it; each append names the position it expects, so two writers cannot both add one.
 * Replaying the journal tells a restarted controller which steps are done, with the facts they
 * recorded, and so where to resume.
 */
public final class Journal {

  /**
   * One line of the journal.
   *
   * @param type {@code created}, {@code step-started}, {@code step-done}, {@code step-failed} or
   *     {@code finished}
   * @param step the step, for step events
   * @param at when, Unix milliseconds
   * @param detail a human-readable line
   * @param facts what a step established, for the steps after it and for the audit log
   */
  public record Event(
      String type, String step, long at, String detail, Map<String, Object> facts) {}

  static final ObjectMapper JSON = new ObjectMapper();

  private final StateStore store;
  private final String log;
  private long next = -1;

  /** The journal kept as log {@code log} of {@code store}. */
  public Journal(StateStore store, String log) {
    this.store = store;
    this.log = log;
  }

  /** The log's name in the store. */
  public String log() {
    return log;
  }

  /**
   * Appends {@code event} as the next entry; durable when this returns (forced to disk, or
   * committed by etcd).
   *
   * @throws StateStore.StaleWrite when another writer appended meanwhile, or this replica may not
   *     write (it lost the leader lease)
   */
  public synchronized void append(Event event) {
    if (next < 0) {
      next = store.read(log).size();
    }
    try {
      store.append(log, JSON.writeValueAsString(event), next);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("journal event cannot be written as JSON: " + e, e);
    }
    next++;
  }

  /** Every event, in order; an entry that is not an event is skipped. */
  public synchronized List<Event> read() {
    List<Event> out = new ArrayList<>();
    for (String line : store.read(log)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        out.add(JSON.readValue(line, Event.class));
      } catch (IOException torn) {
        // Not an event (a line torn by a crash in an older format): it never happened.
      }
    }
    return out;
  }
}
