package dev.kafkadr.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} promises, run against each implementation: versions that count
 * writes, a write expecting another version refused and naming the one found, exactly one winner
 * when writers race to create one document, logs whose entries go in at the position expected.
 */
abstract class StateStoreContract {

  /** A store with nothing in it, writable by this test. */
  abstract StateStore store();

  @Test
  void aDocumentsVersionCountsItsWritesAndAStaleWriteIsRefused() {
    StateStore s = store();
    assertThat(s.get("registry/shop")).isEmpty();
    assertThat(s.put("registry/shop", "{\"epoch\":0}", 0)).isEqualTo(1);
    assertThat(s.put("registry/shop", "{\"epoch\":1}", 1)).isEqualTo(2);
    assertThatThrownBy(() -> s.put("registry/shop", "{\"epoch\":9}", 1))
        .isInstanceOf(StateStore.StaleWrite.class)
        .hasMessageContaining("registry/shop is at version 2, not the 1 expected");
    assertThat(s.get("registry/shop")).contains(new StateStore.Doc("{\"epoch\":1}", 2));
  }

  @Test
  void aDocumentCreatedTwiceIsRefusedTheSecondTime() {
    StateStore s = store();
    s.put("locks/shop", "wf-1", 0);
    assertThatThrownBy(() -> s.put("locks/shop", "wf-2", 0))
        .isInstanceOf(StateStore.StaleWrite.class)
        .hasMessageContaining("at version 1, not the 0 expected");
    assertThat(s.get("locks/shop").orElseThrow().value()).isEqualTo("wf-1");
  }

  @Test
  void aDeleteNeedsTheVersionItRemoves() {
    StateStore s = store();
    s.put("locks/shop", "wf-1", 0);
    assertThatThrownBy(() -> s.delete("locks/shop", 2)).isInstanceOf(StateStore.StaleWrite.class);
    s.delete("locks/shop", 1);
    assertThat(s.get("locks/shop")).isEmpty();
    assertThatThrownBy(() -> s.delete("locks/shop", 0)).isInstanceOf(StateStore.StaleWrite.class);
    assertThat(s.put("locks/shop", "wf-2", 0)).isEqualTo(1);
  }

  @Test
  void aListHoldsTheDocumentsUnderItsPrefixOnly() {
    StateStore s = store();
    s.put("locks/shop", "wf-1", 0);
    s.put("locks/audit", "wf-2", 0);
    s.put("locks-old/shop", "x", 0);
    s.put("registry/shop", "y", 0);
    assertThat(s.list("locks"))
        .containsOnlyKeys("audit", "shop")
        .containsEntry("shop", new StateStore.Doc("wf-1", 1));
  }

  @Test
  void anObservationIsWrittenWhateverItsVersionAndListedWithTheDocuments() {
    StateStore s = store();
    s.observe("replica-a", "{\"at\":1}");
    s.observe("replica-a", "{\"at\":2}");
    s.observe("replica-b", "{\"at\":1}");
    assertThat(s.list(StateStore.OBSERVATIONS)).containsOnlyKeys("replica-a", "replica-b");
    assertThat(s.get("observations/replica-a").orElseThrow().value()).isEqualTo("{\"at\":2}");
    assertThatThrownBy(() -> s.observe("a/b", "{}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDeletedLogIsGoneWithItsEntriesAndOthersStay() {
    StateStore s = store();
    s.append("wf-old", "{\"n\":0}", 0);
    s.append("wf-old", "{\"n\":1}", 1);
    s.append("wf-new", "{\"n\":0}", 0);
    assertThatThrownBy(() -> s.deleteLog("wf-old", 1))
        .as("an entry more than was read (archived)")
        .isInstanceOf(StateStore.StaleWrite.class);
    assertThat(s.read("wf-old")).hasSize(2);
    s.deleteLog("wf-old", 2);
    assertThat(s.read("wf-old")).isEmpty();
    assertThat(s.logs("")).contains("wf-new").doesNotContain("wf-old");
    s.append("wf-old", "{\"n\":0}", 0); // a log of that name starts again at 0
    assertThat(s.read("wf-old")).hasSize(1);
    s.deleteLog("never-written", 0);
  }

  @Test
  void aLogTakesEachEntryAtThePositionExpected() {
    StateStore s = store();
    assertThat(s.read("wf-1")).isEmpty();
    s.append("wf-1", "{\"type\":\"created\"}", 0);
    s.append("wf-1", "{\"type\":\"step-started\"}", 1);
    assertThatThrownBy(() -> s.append("wf-1", "{\"type\":\"again\"}", 1))
        .isInstanceOf(StateStore.StaleWrite.class)
        .hasMessageContaining("holds 2 entries, not the 1 expected");
    assertThatThrownBy(() -> s.append("wf-1", "{\"type\":\"ahead\"}", 5))
        .isInstanceOf(StateStore.StaleWrite.class);
    assertThat(s.read("wf-1"))
        .containsExactly("{\"type\":\"created\"}", "{\"type\":\"step-started\"}");
    s.append("drills/claims", "{}", 0);
    assertThat(s.logs("")).contains("wf-1").doesNotContain("drills/claims");
    assertThat(s.logs("drills")).containsExactly("drills/claims");
    assertThatThrownBy(() -> s.append("wf-1", "two\nlines", 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofEightWritersRacingToCreateOneDocumentExactlyOneWins() throws Exception {
    StateStore s = store();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> tries = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String me = "wf-" + i;
      tries.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  s.put("locks/race", me, 0);
                  return true;
                } catch (StateStore.StaleWrite lost) {
                  return false;
                }
              }));
    }
    go.countDown();
    int won = 0;
    for (Future<Boolean> t : tries) {
      won += t.get(30, TimeUnit.SECONDS) ? 1 : 0;
    }
    pool.shutdown();
    assertThat(won).isEqualTo(1);
    assertThat(s.get("locks/race").orElseThrow().version()).isEqualTo(1);
  }
}
