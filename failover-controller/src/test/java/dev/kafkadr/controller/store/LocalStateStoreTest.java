package dev.kafkadr.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateStoreTest extends StateStoreContract {

  @TempDir Path dir;

  @Override
  StateStore store() {
    return new LocalStateStore(dir);
  }

  @Test
  void aLineTornByACrashIsCutOffAndNotGluedToTheNext() throws Exception {
    Path file = dir.resolve("wf-1.jsonl");
    Files.writeString(file, "{\"type\":\"created\"}\n{\"type\":\"step-st", StandardCharsets.UTF_8);
    LocalStateStore s = new LocalStateStore(dir);
    assertThat(s.read("wf-1")).containsExactly("{\"type\":\"created\"}");
    s.append("wf-1", "{\"type\":\"step-started\"}", 1);
    assertThat(Files.readString(file))
        .isEqualTo("{\"type\":\"created\"}\n{\"type\":\"step-started\"}\n");
  }

  @Test
  void aTenantLockFromBeforeTheStoreIsKept() throws Exception {
    Files.createDirectories(dir.resolve("locks"));
    Files.writeString(dir.resolve("locks/shop.lock"), "2026-11-29T101010Z-shop-1a2b3c4d");
    LocalStateStore s = new LocalStateStore(dir);
    assertThat(s.list("locks"))
        .containsExactly(
            java.util.Map.entry("shop", new StateStore.Doc("2026-11-29T101010Z-shop-1a2b3c4d", 1)));
    assertThat(dir.resolve("locks/shop.lock")).doesNotExist();
  }

  @Test
  void aKeyCannotLeaveTheDirectory() {
    LocalStateStore s = new LocalStateStore(dir);
    assertThatThrownBy(() -> s.put("locks/../../etc/passwd", "x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a state key");
    assertThatThrownBy(() -> s.append("/tmp/x", "x", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEntryAppendedByAnotherProcessIsNotOverwrittenAfterARestart() throws Exception {
    LocalStateStore first = new LocalStateStore(dir);
    first.append("audit", "{\"n\":0}", 0);
    Files.writeString(
        dir.resolve("audit.jsonl"),
        "{\"n\":1}\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    LocalStateStore restarted = new LocalStateStore(dir);
    assertThatThrownBy(() -> restarted.append("audit", "{\"n\":1}", 1))
        .isInstanceOf(StateStore.StaleWrite.class);
    restarted.append("audit", "{\"n\":2}", 2);
    assertThat(restarted.read("audit")).hasSize(3);
  }
}
