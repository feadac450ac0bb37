package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.PartitionLag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** The steps that move the tenant's data, positions and replication. */
final class Moves {

  private Moves() {}

  /** Waits until every record of the tenant on the old cluster is on the new one. */
  static final class Drain implements Step {
    @Override
    public String name() {
      return "drain";
    }

    @Override
    public String plan(StepContext c) {
      FlowLag lag = Guards.lag(c);
      return "would wait (at most "
          + c.settings().drainTimeout().toSeconds()
          + " s) until the "
          + (lag == null ? "?" : lag.lagRecords())
          + " records not yet copied to "
          + c.to().alias()
          + " are copied, plus any written before the fence";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Instant deadline = Instant.now().plus(c.settings().drainTimeout());
      long first = -1;
      // When the source's ends last moved: verify-copy checks the fence held from then on.
      Map<String, Long> ends = Map.of();
      Instant quietSince = Instant.now();
      while (true) {
        FlowLag lag = Guards.lag(c);
        if (lag != null) {
          Map<String, Long> now = new TreeMap<>();
          lag.partitions()
              .forEach(p -> now.put(p.topic() + "-" + p.partition(), p.sourceHighWatermark()));
          if (!now.equals(ends)) {
            ends = now;
            quietSince = lag.measuredAt();
          }
        }
        if (lag != null && drained(lag)) {
          return new Outcome(
              "every record copied: "
                  + lag.partitions().size()
                  + " partitions at their end ("
                  + Math.max(first, 0)
                  + " records drained)",
              Map.of(
                  "drainedRecords",
                  Math.max(first, 0),
                  "drainedEnds",
                  ends,
                  "endsQuietSinceMillis",
                  quietSince.toEpochMilli()));
        }
        long left = lag == null ? -1 : lag.lagRecords();
        if (first < 0) {
          first = left;
        }
        c.progress(
            left < 0
                ? "waiting for the lag scan"
                : (first - left) + "/" + first + " records copied, " + left + " left");
        if (Instant.now().isAfter(deadline)) {
          throw new WorkflowException(
              "replication did not copy the last "
                  + left
                  + " records within "
                  + c.settings().drainTimeout().toSeconds()
                  + " s (kdr.workflow.drain-timeout)"
                  + (lag == null ? "" : ": " + undrained(lag, c.to().alias())));
        }
        Thread.sleep(200);
      }
    }

    /**
     * The partitions still behind, the largest first (at most five), each with its records and, for
     * a partition without a copy yet (added on the source), what MirrorMaker 2 waits for.
     */
    static String undrained(FlowLag lag, String target) {
      List<PartitionLag> behind =
          lag.partitions().stream()
              .filter(p -> !p.known() || p.lagRecords() > 0)
              .sorted(java.util.Comparator.comparingLong(PartitionLag::lagRecords).reversed())
              .toList();
      StringBuilder out = new StringBuilder();
      for (PartitionLag p : behind.subList(0, Math.min(5, behind.size()))) {
        out.append(out.length() == 0 ? "" : "; ")
            .append(p.topic())
            .append('-')
            .append(p.partition());
        if (!p.known()) {
          out.append(" unknown (").append(p.unknownReason()).append(')');
        } else if ("no-copy".equals(p.measuredBy())) {
          out.append(" has no copy on ")
              .append(target)
              .append(" yet, ")
              .append(p.lagRecords())
              .append(
                  " records (a partition added on the source: MirrorMaker 2 adds it at its"
                      + " next topic refresh, refresh.topics.interval.seconds)");
        } else {
          out.append(' ').append(p.lagRecords()).append(" records");
        }
      }
      if (behind.size() > 5) {
        out.append("; ").append(behind.size() - 5).append(" more partition(s)");
      }
      return out.toString();
    }

    /**
     * Every committed record copied and nothing held by a transaction: the scan's figure is 0 in
     * every partition (markers and aborted records past the last copy do not count).
     */
    private static boolean drained(FlowLag lag) {
      return lag.problem() == null
          && lag.lagRecords() == 0
          && lag.partitions().stream().allMatch(p -> p.known() && p.lagRecords() == 0);
    }
  }

  /**
   * Lets the tenant's active consumer groups on the old cluster read and commit the last records,
   * so that nothing is read twice on the new one; groups still behind at the timeout are reported
   * with how much they may read again.
   */
  static final class SettleConsumers implements Step {
    @Override
    public String name() {
      return "settle-consumers";
    }

    @Override
    public String plan(StepContext c) throws Exception {
      return "would wait (at most "
          + c.settings().settleTimeout().toSeconds()
          + " s) for "
          + behind(c).size()
          + " active group(s) behind the end on "
          + c.from().alias();
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Instant deadline = Instant.now().plus(c.settings().settleTimeout());
      Map<String, Long> behind = behind(c);
      while (!behind.isEmpty() && Instant.now().isBefore(deadline)) {
        c.progress("groups behind: " + behind);
        Thread.sleep(200);
        behind = behind(c);
      }
      return new Outcome(
          behind.isEmpty()
              ? "every active group committed the last record"
              : "groups still behind at the timeout (may read these records again): " + behind,
          Map.of("unsettledGroups", new TreeMap<>(behind)));
    }

    /** Active groups with records left to commit, and how many. */
    private static Map<String, Long> behind(StepContext c) throws Exception {
      Admin admin = c.admin(c.from());
      List<String> groups = TenantTopics.groups(admin, c.tenant());
      Map<String, Long> out = new TreeMap<>();
      if (groups.isEmpty()) {
        return out;
      }
      Map<String, ConsumerGroupDescription> described =
          admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
      for (String g : groups) {
        if (described.get(g).members().isEmpty()) {
          continue;
        }
        Map<TopicPartition, Long> committed = TenantTopics.committed(admin, g, c.tenant());
        Map<TopicPartition, Long> ends =
            TenantTopics.offsets(admin, committed.keySet(), OffsetSpec.latest());
        long left = 0;
        for (var e : committed.entrySet()) {
          left += Math.max(0, ends.get(e.getKey()) - e.getValue());
        }
        if (left > 0) {
          out.put(g, left);
        }
      }
      return out;
    }
  }

  /**
   * Stops connectors of the forward flow (they keep their offsets): its source connector before the
   * offsets are translated, its checkpoint and heartbeat connectors once clients have moved.
   */
  static final class StopForward implements Step {
    private final String name;
    private final List<String> suffixes;

    StopForward(String name, List<String> suffixes) {
      this.name = name;
      this.suffixes = suffixes;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String plan(StepContext c) {
      return "would stop the connectors " + Guards.flowName(c) + suffixes;
    }

    @Override
    public Outcome run(StepContext c) {
      ConnectRestClient connect = c.connect(c.to().alias());
      List<String> stopped = new ArrayList<>();
      for (String suffix : suffixes) {
        String name = Guards.flowName(c) + suffix;
        try {
          connect.stop(name);
          stopped.add(name);
        } catch (ConnectRestException e) {
          if (e.status() != 404) {
            throw e;
          }
        }
      }
      return Outcome.of("stopped " + stopped);
    }

    @Override
    public java.util.Optional<String> compensate(StepContext c) {
      ConnectRestClient connect = c.connect(c.to().alias());
      List<String> resumed = new ArrayList<>();
      for (String suffix : suffixes) {
        String name = Guards.flowName(c) + suffix;
        try {
          connect.resume(name);
          resumed.add(name);
        } catch (ConnectRestException e) {
          if (e.status() != 404) {
            throw e;
          }
        }
      }
      return java.util.Optional.of("resumed " + resumed);
    }
  }

  /**
   * Translates every committed offset of the tenant's groups exactly (where copies carry no
   * provenance: no further than MM2's checkpoint, with the records it may read again reported) and
   * writes them on the new cluster, where the groups have no members yet.
   */
  static final class TranslateOffsets implements Step {
    @Override
    public String name() {
      return "translate-offsets";
    }

    @Override
    public String plan(StepContext c) throws Exception {
      return "would translate and write the committed offsets of "
          + TenantTopics.groups(c.admin(c.from()), c.tenant())
          + " on "
          + c.to().alias();
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Admin source = c.admin(c.from());
      Map<String, Map<TopicPartition, Long>> committed = new TreeMap<>();
      for (String group : TenantTopics.groups(source, c.tenant())) {
        committed.put(group, TenantTopics.committed(source, group, c.tenant()));
      }
      GroupOffsets.Translated t =
          GroupOffsets.translateAndWrite(
              c, committed, GroupOffsets.Checkpoints.of(() -> Guards.lag(c)), true);
      return new Outcome(
          t.summary(),
          Map.of("translatedOffsets", t.groups(), "mayReadAgainByGroup", t.mayReadAgain()));
    }
  }

  /**
   * Records the switch point: the end of every tenant partition on the new cluster while nobody can
   * write there yet (the tenant is still denied), which is where the reverse flow will start.
   */
  static final class MarkSwitchPoint implements Step {
    @Override
    public String name() {
      return "mark-switch-point";
    }

    @Override
    public String plan(StepContext c) {
      return "would record the end of every tenant partition on " + c.to().alias();
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      List<TopicPartition> partitions = TenantTopics.partitions(c.admin(c.to()), c.tenant());
      Map<String, Long> point = new TreeMap<>();
      TenantTopics.offsets(c.admin(c.to()), partitions, OffsetSpec.latest())
          .forEach((tp, end) -> point.put(tp.toString(), end));
      return new Outcome(
          point.size() + " partitions on " + c.to().alias() + ": " + point,
          Map.of("switchPoint", point));
    }
  }

  /**
   * Starts the reverse flow (new cluster to old) from the switch point: its source offsets are set
   * to where every tenant partition on the new cluster ended before clients could write there, so
   * nothing is copied back and the old cluster receives exactly what is written from then on. It
   * runs after the traffic switch, off the clients' path.
   */
  static final class StartReverse implements Step {
    @Override
    public String name() {
      return "start-reverse-flow";
    }

    @Override
    public String plan(StepContext c) {
      return "would create "
          + reverse(c).name()
          + ".{source,checkpoint,heartbeat} on the Connect"
          + " cluster for "
          + c.from().alias()
          + ", starting at the current end of every partition";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      ConnectConfigs.TenantFlowConfigs flow = reverse(c);
      ConnectRestClient connect = c.connect(c.from().alias());
      List<String> existing = connect.connectors();
      String source = flow.name() + ".source";
      if (existing.contains(source)) {
        connect.stop(source);
      } else {
        connect.createStopped(source, flow.sourceConnector());
      }
      @SuppressWarnings("unchecked")
      Map<String, Number> point = (Map<String, Number>) c.facts().get("switchPoint");
      if (point == null) {
        throw new WorkflowException("no switch point recorded: mark-switch-point did not run");
      }
      List<Map<String, Map<String, Object>>> offsets = new ArrayList<>();
      long positioned = 0;
      for (var e : point.entrySet()) {
        long end = e.getValue().longValue();
        if (end > 0) {
          int dash = e.getKey().lastIndexOf('-');
          offsets.add(
              Map.of(
                  "partition",
                  Map.of(
                      "cluster", c.to().alias(),
                      "topic", e.getKey().substring(0, dash),
                      "partition", Integer.parseInt(e.getKey().substring(dash + 1))),
                  "offset",
                  Map.of("offset", end - 1)));
          positioned += end;
        }
      }
      if (!offsets.isEmpty()) {
        connect.alterOffsets(source, offsets);
      }
      connect.resume(source);
      for (var extra :
          Map.of(
                  flow.name() + ".checkpoint", flow.checkpoint(),
                  flow.name() + ".heartbeat", flow.heartbeat())
              .entrySet()) {
        if (existing.contains(extra.getKey())) {
          connect.resume(extra.getKey()); // stopped by an earlier switchover
        } else {
          connect.putConnector(extra.getKey(), extra.getValue());
        }
      }
      connect.awaitRunning(source, Duration.ofSeconds(60));
      return Outcome.of(
          flow.name()
              + " running from the switch point ("
              + positioned
              + " records on "
              + c.to().alias()
              + " before it not copied back)");
    }

    private static ConnectConfigs.TenantFlowConfigs reverse(StepContext c) {
      TenantsFile reversed =
          c.file()
              .withFlows(
                  List.of(
                      new FlowSpec(c.to().alias(), c.from().alias(), List.of(c.tenant().id()))));
      return ConnectConfigs.flows(reversed).get(0);
    }
  }
}
