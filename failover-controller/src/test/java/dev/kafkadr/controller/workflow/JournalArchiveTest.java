package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.controller.store.LocalStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which journals leave the store (finished more than 30 days ago, unlocked, not their tenant's
 * newest of their kind), that each archive file holds exactly the journal's entries, and that an
 * archived workflow replays from it.
 */
class JournalArchiveTest {

  private static final Instant NOW = Instant.parse("2026-11-30T04:00:00Z");

  @Test
  void oldFinishedJournalsMoveToFilesAndTheNewestOfEachKindStays() throws Exception {
    Path dir = Files.createTempDirectory("kdr-archive");
    LocalStateStore store = new LocalStateStore(dir.resolve("state"));
    List<WorkflowRun> runs = new ArrayList<>();
    runs.add(journal(store, "a", "shop", WorkflowKind.SWITCHOVER, 41, 40));
    runs.add(journal(store, "b", "shop", WorkflowKind.SWITCHOVER, 36, 35)); // newest switchover
    runs.add(journal(store, "c", "shop", WorkflowKind.FAILBACK, 41, 40)); // its only failback
    runs.add(journal(store, "d", "acme", WorkflowKind.SWITCHOVER, 45, 44)); // locked
    runs.add(journal(store, "e", "acme", WorkflowKind.SWITCHOVER, 2, 1)); // newest, recent
    runs.add(journal(store, "f", "acme", WorkflowKind.SWITCHOVER, 50, 40));
    runs.add(journal(store, "g", "acme", WorkflowKind.FAILOVER, 50, -1)); // still running
    List<String> before = store.read("a");

    List<String> archived =
        JournalArchive.run(
            store, runs, Set.of("d"), dir.resolve("archive"), Duration.ofDays(30), NOW);

    assertThat(archived).containsExactly("f", "a");
    assertThat(store.logs("")).containsExactlyInAnyOrder("b", "c", "d", "e", "g");
    assertThat(Files.readAllLines(dir.resolve("archive").resolve("a.jsonl"))).isEqualTo(before);
    WorkflowRun replayed = JournalArchive.replay(dir.resolve("archive"), "a");
    assertThat(replayed.view().state()).isEqualTo(WorkflowRun.State.SUCCEEDED);
    assertThat(replayed.view().tenant()).isEqualTo("shop");
    assertThat(JournalArchive.replay(dir.resolve("archive"), "b")).isNull();
    assertThat(
            JournalArchive.run(
                store, runs, Set.of("d"), dir.resolve("archive"), Duration.ofDays(30), NOW))
        .as("a second run finds nothing left to archive")
        .isEmpty();
  }

  @Test
  void theAuditLogRotatesOutOfTheStoreAndReadsWholeWithItsSegments() throws Exception {
    Path dir = Files.createTempDirectory("kdr-audit");
    LocalStateStore store = new LocalStateStore(dir.resolve("state"));
    AuditLog audit = new AuditLog(store, dir.resolve("archive"));
    audit.noted("olu", "automatic failover disabled", null, Map.of("reason", "one"));
    audit.noted("olu", "automatic failover enabled", null, Map.of("reason", "two"));
    Instant later = Instant.now().plus(Duration.ofDays(31));

    assertThat(
            JournalArchive.rotateAudit(store, dir.resolve("archive"), Duration.ofDays(30), later))
        .hasValueSatisfying(f -> assertThat(f.getFileName().toString()).startsWith("audit-"));
    assertThat(store.read(AuditLog.LOG)).isEmpty();
    audit.noted("ada", "automatic failover disabled", null, Map.of("reason", "three"));

    assertThat(audit.read())
        .extracting(e -> e.get("reason"))
        .containsExactly("one", "two", "three");
    assertThat(store.read(AuditLog.LOG)).as("only the newest in the store").hasSize(1);
    assertThat(
            JournalArchive.rotateAudit(
                store, dir.resolve("archive"), Duration.ofDays(30), Instant.now()))
        .as("nothing older than 30 days")
        .isEmpty();
  }

  /** A workflow created {@code createdDaysAgo}, finished {@code finishedDaysAgo} (-1: not). */
  private static WorkflowRun journal(
      LocalStateStore store,
      String id,
      String tenant,
      WorkflowKind kind,
      int createdDaysAgo,
      int finishedDaysAgo) {
    Journal j = new Journal(store, id);
    Instant created = NOW.minus(Duration.ofDays(createdDaysAgo));
    j.append(
        new Journal.Event(
            "created",
            null,
            created.toEpochMilli(),
            null,
            Map.of(
                "tenant",
                tenant,
                "kind",
                kind.name(),
                "from",
                "primary",
                "to",
                "secondary",
                "actor",
                "olu",
                "startEpoch",
                1)));
    if (finishedDaysAgo >= 0) {
      j.append(
          new Journal.Event(
              "finished",
              null,
              NOW.minus(Duration.ofDays(finishedDaysAgo)).toEpochMilli(),
              null,
              Map.of("outcome", "SUCCEEDED")));
    }
    return Plans.replay(id, j.read());
  }
}
