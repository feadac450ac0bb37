package dev.kafkadr.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.testkit.history.CopyIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.mirror.Checkpoint;

/**
 * Rows 8 and 9: consumer groups of the tenant commit on the primary while the scenario's topic is
 * written and copied, and MirrorMaker 2's checkpoint connector translates their offsets into
 * checkpoints on the secondary ({@code primary.checkpoints.internal}). Each of {@link #GROUPS}
 * groups commits, every second, a position on every partition chosen at random between its last
 * commit and the partition's end (through the Admin API, as a consumer's commit lands in the group
 * coordinator). Every checkpoint emitted during the scenario is judged against what the copy held
 * ({@link CopyIndex}): a group resuming on the copy at the checkpoint's downstream offset must not
 * skip a record at or past its committed source offset, and a group's checkpoints on a partition
 * must never go back (its commits only go forward). Row 9 restarts the checkpoint connector and its
 * task half-way (Connect's REST API), and asserts every group-partition was checkpointed again
 * after the restart.
 */
final class Checkpoints {

  /** Consumer groups committing. */
  static final int GROUPS = 50;

  private Checkpoints() {}

  /** Runs row 8, or row 9 with {@code restart} true, on the default Connect group's tenant. */
  static void run(Sandbox sandbox, ConnectGroup workers, Scenario scenario) throws Exception {
    boolean restart = scenario == Scenario.CHECKPOINT_RESTART;
    String checkpointConnector =
        ChaosMatrixIT.TENANT + "." + Sandbox.PRIMARY + "-to-" + Sandbox.SECONDARY + ".checkpoint";
    ChaosLoad load = ChaosLoad.start(sandbox, scenario);
    String prefix = ChaosMatrixIT.TENANT + "-s" + scenario.row() + "-g";
    try (CheckpointReader checkpoints = new CheckpointReader(sandbox, prefix, load.topic());
        Committer commits = new Committer(sandbox, prefix, load.topic(), scenario.partitions())) {
      commits.awaitCheckpointed(workers.client(1), checkpointConnector);
      load.runFor(Duration.ofSeconds(14));
      long restartedAt = Long.MAX_VALUE;
      if (restart) {
        ConnectRestClient worker = workers.client(1);
        var accepted = worker.restart(checkpointConnector);
        assertThat(accepted.tasks())
            .as("Connect's answer to the restart: " + accepted)
            .isNotEmpty()
            .allMatch(t -> "RESTARTING".equals(t.state()));
        // Connect restarts asynchronously: wait to see the task leave RUNNING before waiting for
        // it to run again, or the old task's checkpoints could count as the new one's (a restart
        // over before the first poll is over before the wait for RUNNING too)
        try {
          org.awaitility.Awaitility.await("the checkpoint task restarting")
              .atMost(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> !worker.status(checkpointConnector).isRunning(1));
        } catch (org.awaitility.core.ConditionTimeoutException overAlready) {
          System.out.println("checkpoints: the restart was not seen in progress");
        }
        worker.awaitRunning(checkpointConnector, Duration.ofSeconds(60));
        restartedAt = checkpoints.count();
        load.runFor(Duration.ofSeconds(14));
      }
      load.runFor(Duration.ofSeconds(4));
      commits.close();
      load.finish();
      checkpoints.awaitQuiet();
      judge(
          load,
          scenario,
          checkpoints.all(),
          restartedAt,
          commits.groupPartitions(),
          checkpoints.medianInterval());
    }
  }

  private static void judge(
      ChaosLoad load,
      Scenario scenario,
      List<Checkpoint> all,
      long restartedAt,
      java.util.Set<String> committed,
      double interval) {
    CopyIndex copy = load.copyIndex();
    Map<String, Long> lastDownstream = new HashMap<>();
    Map<String, Long> newest = new TreeMap<>();
    List<String> skipping = new ArrayList<>();
    List<String> backwards = new ArrayList<>();
    long[] readAgain = new long[all.size()];
    int afterRestart = 0;
    java.util.Set<String> checkpointedAfter = new java.util.HashSet<>();
    for (int i = 0; i < all.size(); i++) {
      Checkpoint c = all.get(i);
      TopicPartition tp = c.topicPartition();
      String key = c.consumerGroupId() + "/" + tp.partition();
      CopyIndex.Resume r =
          copy.resume(tp.topic(), tp.partition(), c.downstreamOffset(), c.upstreamOffset());
      readAgain[i] = r.readAgain();
      if (r.skipped() > 0) {
        skipping.add(c + " skips " + r.skipped());
      }
      Long before = lastDownstream.put(key, c.downstreamOffset());
      if (before != null && c.downstreamOffset() < before) {
        backwards.add(key + ": " + before + " -> " + c.downstreamOffset());
      }
      newest.put(key, r.readAgain());
      if (i >= restartedAt) {
        afterRestart++;
        checkpointedAfter.add(key);
      }
    }
    java.util.Arrays.sort(readAgain);
    long[] newestAgain = newest.values().stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "checkpoints (row %s): %,d emitted for %d group-partitions (%d committed); %,d after the"
            + " restart for %d; records a group resuming at one reads again: p50 %d, max %d; at"
            + " each group-partition's newest: p50 %d, max %d; skipping %s; going back %s%n",
        scenario.row(),
        all.size(),
        newest.size(),
        committed.size(),
        afterRestart,
        checkpointedAfter.size(),
        ChaosLoad.percentile(readAgain, 0.5),
        ChaosLoad.percentile(readAgain, 1.0),
        ChaosLoad.percentile(newestAgain, 0.5),
        ChaosLoad.percentile(newestAgain, 1.0),
        skipping.stream().limit(5).toList(),
        backwards.stream().limit(5).toList());
    assertThat(newest.keySet())
        .as("group-partitions checkpointed: every one committed past offset 0")
        .containsAll(committed);
    assertThat(skipping).as("checkpoints that skip records").isEmpty();
    assertThat(backwards).as("checkpoints going back").isEmpty();
    if (scenario == Scenario.CHECKPOINT_RESTART) {
      assertThat(checkpointedAfter)
          .as("group-partitions checkpointed after the restart")
          .containsAll(committed);
    }
    load.row(
        String.format(
            Locale.ROOT,
            "%,d checkpoints for %d group-partitions (one every %.1f s, median), 0 skipping, 0"
                + " going back%s; read again from a checkpoint: p50 %d, max %d records",
            all.size(),
            newest.size(),
            interval,
            scenario == Scenario.CHECKPOINT_RESTART
                ? String.format(
                    Locale.ROOT,
                    "; %,d after the restart for all %d",
                    afterRestart,
                    checkpointedAfter.size())
                : "",
            ChaosLoad.percentile(readAgain, 0.5),
            ChaosLoad.percentile(readAgain, 1.0)));
  }

  /** Reads the checkpoints of the scenario's groups from the secondary as they are emitted. */
  private static final class CheckpointReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Checkpoint> read = new CopyOnWriteArrayList<>();
    private final Map<String, List<Long>> arrivals = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long lastReadNanos = System.nanoTime();

    CheckpointReader(Sandbox sandbox, String groupPrefix, String topic) {
      Map<String, Object> c = new HashMap<>(sandbox.secondary().adminConfig());
      c.put("enable.auto.commit", false);
      consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      String checkpoints = Sandbox.PRIMARY + ".checkpoints.internal";
      List<TopicPartition> partitions =
          consumer.partitionsFor(checkpoints, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(checkpoints, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions); // the scenario's groups are new: nothing before counts
      partitions.forEach(consumer::position);
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  for (var r : consumer.poll(Duration.ofMillis(200))) {
                    Checkpoint cp = Checkpoint.deserializeRecord(r);
                    if (cp.consumerGroupId().startsWith(groupPrefix)
                        && cp.topicPartition().topic().equals(topic)) {
                      read.add(cp);
                      lastReadNanos = System.nanoTime();
                      arrivals
                          .computeIfAbsent(
                              cp.consumerGroupId() + "/" + cp.topicPartition().partition(),
                              k -> new ArrayList<>())
                          .add(lastReadNanos);
                    }
                  }
                }
              },
              "chaos-checkpoints");
      thread.setDaemon(true);
      thread.start();
    }

    long count() {
      return read.size();
    }

    /** Waits until no checkpoint of the scenario arrived for 5 s (at most 60 s). */
    void awaitQuiet() {
      org.awaitility.Awaitility.await("the checkpoints of the last commits")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> System.nanoTime() - lastReadNanos > TimeUnit.SECONDS.toNanos(5));
    }

    List<Checkpoint> all() {
      return List.copyOf(read);
    }

    /** The median time between two checkpoints of one group-partition, in seconds. */
    double medianInterval() {
      List<Long> gaps = new ArrayList<>();
      arrivals
          .values()
          .forEach(
              times -> {
                for (int i = 1; i < times.size(); i++) {
                  gaps.add(times.get(i) - times.get(i - 1));
                }
              });
      long[] sorted = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
      return ChaosLoad.percentile(sorted, 0.5) / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(5_000);
      consumer.close();
    }
  }

  /**
   * Commits every group's position on every partition once a second, each a random step between its
   * last commit and the partition's end.
   */
  private static final class Committer implements AutoCloseable {

    private final Admin admin;
    private final String groupPrefix;
    private final String topic;
    private final int partitions;
    private final Map<String, Long> last = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    Committer(Sandbox sandbox, String groupPrefix, String topic, int partitions) {
      this.admin = Admin.create(sandbox.primary().adminConfig());
      this.groupPrefix = groupPrefix;
      this.topic = topic;
      this.partitions = partitions;
      thread = new Thread(this::loop, "chaos-commits");
      thread.setDaemon(true);
      thread.start();
    }

    /**
     * Waits until the checkpoint connector's tasks were given every group. MirrorMaker 2 restarts
     * its checkpoint task each time it finds a new group (its task configurations list the groups),
     * and a task restarting emits nothing until it has read its stores again: the scenario judges
     * groups the connector knows, not its discovery of new ones.
     */
    void awaitCheckpointed(ConnectRestClient worker, String connector) {
      org.awaitility.Awaitility.await(
              "the checkpoint connector's tasks given all " + GROUPS + " groups")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                long assigned = 0;
                for (Map<String, String> task : worker.taskConfigs(connector)) {
                  for (String g : task.getOrDefault("task.assigned.groups", "").split(",")) {
                    assigned += g.startsWith(groupPrefix) ? 1 : 0;
                  }
                }
                return assigned == GROUPS;
              });
    }

    private void loop() {
      try {
        while (running.get()) {
          long round = System.nanoTime();
          commitRound();
          long left = TimeUnit.SECONDS.toNanos(1) - (System.nanoTime() - round);
          if (left > 0) {
            Thread.sleep(left / 1_000_000);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        failure = e;
      }
    }

    private void commitRound() throws Exception {
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS);
      ThreadLocalRandom random = ThreadLocalRandom.current();
      List<org.apache.kafka.common.KafkaFuture<Void>> sent = new ArrayList<>();
      for (int g = 0; g < GROUPS; g++) {
        String group = String.format(Locale.ROOT, "%s%02d", groupPrefix, g);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (var e : ends.entrySet()) {
          String key = group + "/" + e.getKey().partition();
          long from = last.getOrDefault(key, 0L);
          long end = e.getValue().offset();
          if (end > from) {
            long at = from + random.nextLong(end - from + 1);
            last.put(key, at);
            offsets.put(e.getKey(), new OffsetAndMetadata(at));
          }
        }
        if (!offsets.isEmpty()) {
          sent.add(admin.alterConsumerGroupOffsets(group, offsets).all());
        }
      }
      for (var f : sent) {
        f.get(10, TimeUnit.SECONDS); // all groups at once: a round takes one round trip, not 50
      }
    }

    /** The group-partitions ({@code group/partition}) committed at a position past 0. */
    java.util.Set<String> groupPartitions() {
      java.util.Set<String> out = new java.util.TreeSet<>();
      last.forEach(
          (k, o) -> {
            if (o > 0) {
              out.add(k);
            }
          });
      return out;
    }

    @Override
    public void close() throws Exception {
      if (running.getAndSet(false)) {
        thread.join(15_000);
        admin.close();
      }
      if (failure != null) {
        throw new IllegalStateException("committing the groups' offsets failed", failure);
      }
    }
  }
}
