package dev.kafkadr.controller.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies the controller's state from one store to another (a stopped replica's local directory to
 * etcd): every document of the kinds the controller writes, at version 1, and every log entry by
 * entry, in order; then reads everything back from the target and compares it with the source.
 * Nothing is overwritten: a document or a non-empty log already in the target stops the copy before
 * anything is written, naming it.
 */
public final class StoreMigration {

  /** The document kinds the controller writes (key prefixes). */
  public static final List<String> DOCUMENT_KINDS = List.of("locks", "registry", "reconciled");

  private StoreMigration() {}

  /**
   * What was copied.
   *
   * @param documents documents copied
   * @param logs logs copied
   * @param entries log entries copied
   * @param bytes bytes of document values and log entries copied, UTF-8
   */
  public record Report(int documents, int logs, long entries, long bytes) {}

  /**
   * Copies {@code from} into {@code to} and checks the copy.
   *
   * @throws IllegalStateException naming the first document or log the target already holds (before
   *     anything is written), or the first one that reads back differently
   */
  public static Report copy(StateStore from, StateStore to) {
    List<String> clashes = new ArrayList<>();
    for (String kind : DOCUMENT_KINDS) {
      from.list(kind).keySet().stream()
          .filter(k -> to.get(kind + "/" + k).isPresent())
          .forEach(k -> clashes.add("document " + kind + "/" + k));
    }
    for (String log : from.logs("")) {
      if (!to.read(log).isEmpty()) {
        clashes.add("log " + log);
      }
    }
    if (!clashes.isEmpty()) {
      throw new IllegalStateException(
          "the target store already holds "
              + clashes.size()
              + " of the source's documents and logs, the first "
              + clashes.get(0)
              + ": nothing was copied");
    }
    int documents = 0;
    long bytes = 0;
    for (String kind : DOCUMENT_KINDS) {
      for (Map.Entry<String, StateStore.Doc> d : from.list(kind).entrySet()) {
        to.put(kind + "/" + d.getKey(), d.getValue().value(), 0);
        documents++;
        bytes += utf8(d.getValue().value());
      }
    }
    int logs = 0;
    long entries = 0;
    for (String log : from.logs("")) {
      List<String> lines = from.read(log);
      for (int i = 0; i < lines.size(); i++) {
        to.append(log, lines.get(i), i);
        bytes += utf8(lines.get(i));
      }
      logs++;
      entries += lines.size();
    }
    check(from, to);
    return new Report(documents, logs, entries, bytes);
  }

  private static int utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static void check(StateStore from, StateStore to) {
    for (String kind : DOCUMENT_KINDS) {
      for (Map.Entry<String, StateStore.Doc> d : from.list(kind).entrySet()) {
        String key = kind + "/" + d.getKey();
        String copied = to.get(key).map(StateStore.Doc::value).orElse(null);
        if (!d.getValue().value().equals(copied)) {
          throw new IllegalStateException("document " + key + " reads back differently");
        }
      }
    }
    for (String log : from.logs("")) {
      if (!from.read(log).equals(to.read(log))) {
        throw new IllegalStateException("log " + log + " reads back differently");
      }
    }
  }
}
