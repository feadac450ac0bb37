package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves old workflow journals out of the state store, so etcd stays within its quota (2 GiB by
 * default; a switchover's journal is about 8 KB, so 1,000 tenants with a weekly drill write about
 * 0.4 GB a year). A journal is archived when its workflow finished more than {@code after} ago, no
 * tenant lock names it, and it is not its tenant's newest workflow of its kind (which a drill's RTO
 * estimate and {@code kdr reconcile} read). Each is written to {@code <dir>/<id>.jsonl} (the
 * journal's entries, one per line, written to a temporary file, forced to disk, moved into place),
 * read back and compared, and only then deleted from the store.
 */
final class JournalArchive {

  private JournalArchive() {}

  /**
   * Archives what is due at {@code now}.
   *
   * @param runs every workflow the leader knows, by id
   * @param locked the workflow ids tenant locks name
   * @return the ids archived, oldest first
   * @throws UncheckedIOException when an archive file cannot be written or read back (nothing is
   *     deleted from the store for that journal)
   * @throws StateStore.StaleWrite when this replica stops leading (the next leader goes on)
   */
  static List<String> run(
      StateStore store,
      Collection<WorkflowRun> runs,
      Set<String> locked,
      Path dir,
      Duration after,
      Instant now) {
    Set<String> newest = new HashSet<>();
    runs.stream()
        .collect(
            Collectors.groupingBy(
                r -> r.tenant() + "|" + r.kind(),
                Collectors.maxBy(Comparator.comparing(WorkflowRun::createdAt))))
        .values()
        .forEach(r -> r.ifPresent(w -> newest.add(w.id())));
    List<WorkflowRun> due =
        runs.stream()
            .filter(r -> !newest.contains(r.id()) && !locked.contains(r.id()))
            .filter(r -> finishedBefore(r, now.minus(after)))
            .sorted(Comparator.comparing(WorkflowRun::createdAt))
            .toList();
    List<String> out = new ArrayList<>();
    for (WorkflowRun r : due) {
      List<String> entries = store.read(r.id());
      if (entries.isEmpty()) {
        continue;
      }
      write(dir, r.id(), entries);
      store.deleteLog(r.id(), entries.size());
      out.add(r.id());
    }
    return out;
  }

  /**
   * Rotates the audit log out of the store once its oldest entry is older than {@code after}: every
   * entry to {@code <dir>/audit-<first>-<last>.jsonl} (Unix milliseconds of the first and last
   * entry), then the log deleted if no entry was appended meanwhile (else next time). {@link
   * AuditLog#read} reads the segments before the log.
   *
   * @return the segment written, if any
   */
  static java.util.Optional<Path> rotateAudit(
      StateStore store, Path dir, Duration after, Instant now) {
    List<String> entries = store.read(AuditLog.LOG);
    if (entries.isEmpty()) {
      return java.util.Optional.empty();
    }
    long first = at(entries.get(0));
    if (first < 0 || !Instant.ofEpochMilli(first).isBefore(now.minus(after))) {
      return java.util.Optional.empty();
    }
    String name = "audit-" + first + "-" + at(entries.get(entries.size() - 1));
    write(dir, name, entries);
    try {
      store.deleteLog(AuditLog.LOG, entries.size());
    } catch (StateStore.StaleWrite appended) {
      // entries came in meanwhile: the segment is rewritten whole at the next rotation
      try {
        Files.deleteIfExists(dir.resolve(name + ".jsonl"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw appended;
    }
    return java.util.Optional.of(dir.resolve(name + ".jsonl"));
  }

  private static long at(String entry) {
    try {
      return Journal.JSON.readValue(entry, Journal.Event.class).at();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The rotated audit segments in {@code dir}, oldest first, each entry as written. */
  static List<String> auditSegments(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      List<String> out = new ArrayList<>();
      for (Path f :
          files
              .filter(f -> f.getFileName().toString().matches("audit-\\d+-\\d+\\.jsonl"))
              .sorted(
                  Comparator.comparingLong(
                      f -> Long.parseLong(f.getFileName().toString().split("-")[1])))
              .toList()) {
        Files.readAllLines(f, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .forEach(out::add);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("audit segments in " + dir + " cannot be read", e);
    }
  }

  private static boolean finishedBefore(WorkflowRun r, Instant cutoff) {
    WorkflowRun.View v = r.view();
    return v.finishedAt() != null
        && v.state() != WorkflowRun.State.RUNNING
        && v.state() != WorkflowRun.State.ROLLING_BACK
        && v.finishedAt().isBefore(cutoff);
  }

  private static void write(Path dir, String id, List<String> entries) {
    Path file = dir.resolve(id + ".jsonl");
    Path next = dir.resolve(id + ".jsonl.next");
    String text = String.join("\n", entries) + "\n";
    try {
      Files.createDirectories(dir);
      try (var channel =
          java.nio.channels.FileChannel.open(
              next,
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
              java.nio.file.StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (!Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        throw new IOException("read back, " + file + " differs from the journal in the store");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + id + " not archived: " + e.getMessage(), e);
    }
  }

  /** The archive directory: {@code archive-dir}, or {@code archive} in the journal directory. */
  static Path dir(dev.kafkadr.controller.ControllerConfig.Workflow w) {
    return w.archiveDir().orElse(w.journalDir().resolve("archive"));
  }

  /** The archived workflow {@code id} as its journal replays, or null when none is archived. */
  static WorkflowRun replay(Path dir, String id) {
    Path file = dir.resolve(id + ".jsonl");
    if (!Files.exists(file)) {
      return null;
    }
    List<Journal.Event> events = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          events.add(Journal.JSON.readValue(line, Journal.Event.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("archived journal " + file + " cannot be read", e);
    }
    return Plans.replay(id, events);
  }

  /** The ids tenant locks name. */
  static Set<String> lockedIds(Map<String, String> held) {
    return new HashSet<>(held.values());
  }
}
