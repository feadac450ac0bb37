package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.GroupLag;
import dev.kafkadr.controller.lag.LastGood;
import dev.kafkadr.controller.lag.PartitionLag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The steps of an unplanned failover, for when the tenant's cluster is down: nothing can be
 * drained, so what was not copied is reported as the records that may be lost, from the last scan
 * that measured the flow, and the groups resume from the positions that scan saw.
 */
final class Unplanned {

  private Unplanned() {}

  /**
   * The last complete measurement of the flow before the outage: as {@code assess} journaled it
   * ({@link MeasuredScan}), so that a resumed failover judges by the scan it started with; the
   * monitor's own before {@code assess} ran (a dry run's plan).
   */
  static FlowLag measured(StepContext c) {
    Object journaled = c.facts().get(MeasuredScan.FACT);
    return journaled != null ? MeasuredScan.flowLag(journaled) : lastGood(c).last();
  }

  /** The last complete measurements of the flow before the outage, and when scans began to fail. */
  static LastGood lastGood(StepContext c) {
    return c.monitor()
        .lastGood(c.tenant().id(), c.from().alias(), c.to().alias())
        .orElseThrow(
            () ->
                new WorkflowException(
                    "the controller never measured "
                        + c.tenant().id()
                        + " "
                        + c.from().alias()
                        + " -> "
                        + c.to().alias()
                        + ": the data at risk cannot be told; fail over only after a scan"));
  }

  /**
   * Reports what the last complete scan before the outage saw at risk, per partition with its
   * offset range, and, for writes after that scan, an estimate at the produce rate measured between
   * the last two scans (named as an estimate); checks the target answers.
   */
  static final class Assess implements Step {
    @Override
    public String name() {
      return "assess";
    }

    @Override
    public String plan(StepContext c) throws Exception {
      return "data at risk: " + assess(c).detail();
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      return assess(c);
    }

    private Outcome assess(StepContext c) throws Exception {
      var naming = Guards.prefixedNames(c);
      if (naming.isPresent()) {
        throw new WorkflowException(naming.get());
      }
      c.admin(c.to()).describeCluster().clusterId().get(20, TimeUnit.SECONDS);
      LastGood good = lastGood(c);
      FlowLag lag = good.last();
      Map<String, List<Long>> ranges = new TreeMap<>();
      for (PartitionLag p : lag.partitions()) {
        if (p.lagRecords() > 0) {
          long from = Math.max(p.replicatedUpTo(), p.sourceLogStart());
          ranges.put(p.topic() + "-" + p.partition(), List.of(from, p.sourceLogEnd()));
        }
      }
      Instant until = good.firstFailureAfter() != null ? good.firstFailureAfter() : Instant.now();
      double window = Math.max(0, Duration.between(lag.measuredAt(), until).toMillis() / 1000.0);
      Map<String, Double> rates = good.produceRates();
      double rate = rates.values().stream().mapToDouble(Double::doubleValue).sum();
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("dataAtRisk", lag.lagRecords());
      facts.put("dataAtRiskSeconds", lag.lagSeconds());
      facts.put("dataAtRiskRanges", ranges);
      facts.put("measuredAt", lag.measuredAt().toString());
      Map<String, Object> scan = MeasuredScan.fact(lag);
      int scanBytes = MeasuredScan.bytes(scan);
      String journaled = "";
      if (scanBytes <= MeasuredScan.MAX_BYTES) {
        facts.put(MeasuredScan.FACT, scan);
      } else {
        journaled =
            "; the scan is too large to journal ("
                + scanBytes
                + " bytes): if this controller stops before the failover ends, the one resuming"
                + " it judges by its own last scan";
      }
      String estimate;
      if (rates.isEmpty()) {
        estimate = "no estimate of the records written after it (only one scan measured the flow)";
      } else {
        long since = Math.round(rate * window);
        facts.put("writtenSinceEstimate", since);
        facts.put("produceRatePerSecond", Math.round(rate * 10) / 10.0);
        facts.put("estimateWindowSeconds", window);
        estimate =
            String.format(
                java.util.Locale.ROOT,
                "estimate of the records written after it: %d (%.1f records/s measured between the"
                    + " last two scans, over %.1f s until %s)",
                since,
                rate,
                window,
                good.firstFailureAfter() != null ? "the first scan that failed" : "now");
      }
      return new Outcome(
          lag.lagRecords()
              + " records not copied to "
              + c.to().alias()
              + " when last measured ("
              + lag.measuredAt()
              + ", oldest "
              + lag.lagSeconds()
              + " s): "
              + (ranges.isEmpty() ? "none" : ranges + " [from, to) per partition")
              + "; "
              + estimate
              + journaled,
          facts);
    }
  }

  /**
   * Once the forward flow is stopped (the copy can grow no more), the exact lower bound of the
   * loss: per partition, the records the source held at the last complete scan (its end then) that
   * the copy's final position, read from the surviving cluster, does not reach. Those records
   * existed and were never copied; the records written after that scan are not counted (the
   * estimate above, and {@code kdr reconcile} once the old cluster is back, tell them).
   */
  static final class MeasureLoss implements Step {
    @Override
    public String name() {
      return "measure-loss";
    }

    @Override
    public String plan(StepContext c) {
      return "would read where the copy on "
          + c.to().alias()
          + " ends, once the forward flow is stopped, and bound the loss from below";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      String source = Guards.flowName(c) + ".source";
      boolean stopped = CopyEnds.awaitStopped(c, source, Duration.ofSeconds(30));
      FlowLag lag = measured(c);
      Map<TopicPartition, Long> next = CopyEnds.nextToCopy(c, lag);
      Map<String, List<Long>> ranges = new TreeMap<>();
      List<String> undetermined = new ArrayList<>();
      long atLeast = 0;
      for (PartitionLag p : lag.partitions()) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        Long copied = next.get(tp);
        if (copied == null) {
          undetermined.add(tp + " (no copy from " + c.from().alias() + " to tell)");
        } else if (Boolean.TRUE.equals(p.transactional())
            && p.sourceLogEnd() > Math.max(copied, p.sourceLogStart())) {
          // Offsets there hold transaction markers and aborted records: no bound on records.
          undetermined.add(tp + " (transactional: its offsets are not records)");
        } else if (p.sourceLogEnd() > Math.max(copied, p.sourceLogStart())) {
          long from = Math.max(copied, p.sourceLogStart());
          ranges.put(tp.toString(), List.of(from, p.sourceLogEnd()));
          atLeast += p.sourceLogEnd() - from;
        }
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("lossLowerBound", atLeast);
      facts.put("lossLowerBoundRanges", ranges);
      if (!undetermined.isEmpty()) {
        facts.put("lossUndeterminedPartitions", undetermined);
      }
      facts.put("copyFinal", stopped);
      return new Outcome(
          "at least "
              + atLeast
              + " records lost: held by "
              + c.from().alias()
              + " at the last complete scan and not on "
              + c.to().alias()
              + (ranges.isEmpty() ? "" : " " + ranges + " [from, to)")
              + (undetermined.isEmpty()
                  ? ""
                  : "; not determinable, counted by kdr reconcile: " + undetermined)
              + (stopped
                  ? ""
                  : "; the source connector did not report STOPPED within 30 s: the copy may still"
                      + " have grown, so this bound may be high"),
          facts);
    }
  }

  /**
   * Fences the tenant on the old cluster if it answers; a dead cluster is recorded as unfenced (the
   * fence is raised when it returns, before anything reads from it).
   */
  static final class FenceOld implements Step {
    @Override
    public String name() {
      return "fence-old";
    }

    @Override
    public String plan(StepContext c) {
      return "would try to add the tenant's DENY ACLs on " + c.from().alias() + " (if it answers)";
    }

    @Override
    public Outcome run(StepContext c) {
      List<AclBinding> all = new ArrayList<>();
      all.addAll(Fences.bindings(c.file(), c.tenant(), Fences.Kind.PRODUCERS));
      all.addAll(Fences.bindings(c.file(), c.tenant(), Fences.Kind.CONSUMERS));
      Map<String, Object> config =
          new java.util.HashMap<>(dev.kafkadr.config.ClusterClients.adminConfig(c.from()));
      config.put("client.id", "kdr-controller-fence-old");
      // A dead cluster must not hold the failover up: a few seconds to answer, then go on.
      config.put("request.timeout.ms", 2000);
      config.put("default.api.timeout.ms", 3000);
      config.put("reconnect.backoff.max.ms", 500);
      try (Admin admin = c.guardedAdmin(config)) {
        int added = Fences.raise(admin, all);
        return new Outcome(
            "DENY ACLs on " + c.from().alias() + ": " + added + " added",
            Map.of("oldFenced", true));
      } catch (Exception e) {
        return new Outcome(
            c.from().alias()
                + " does not answer: not fenced ("
                + e.getClass().getSimpleName()
                + ")",
            Map.of("oldFenced", false));
      }
    }
  }

  /**
   * Translates each group's position as the last scan saw it, exactly through the provenance
   * headers of the copies, and writes it on the new cluster. A position past what was copied
   * resumes at the copy's end: those records are part of the data at risk. Reports, per group, the
   * most it may read again: everything copied past its translated position.
   */
  static final class TranslateLastSeen implements Step {
    @Override
    public String name() {
      return "translate-offsets";
    }

    @Override
    public String plan(StepContext c) {
      FlowLag lag = measured(c);
      return "would translate the positions of "
          + lag.groups().stream().map(GroupLag::group).distinct().toList()
          + " as of "
          + lag.measuredAt()
          + " and write them on "
          + c.to().alias();
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      FlowLag lag = measured(c);
      Map<String, Map<TopicPartition, Long>> committed = new TreeMap<>();
      for (GroupLag g : lag.groups()) {
        if (g.committedOffset() >= 0) {
          committed
              .computeIfAbsent(g.group(), k -> new LinkedHashMap<>())
              .put(new TopicPartition(g.topic(), g.partition()), g.committedOffset());
        }
      }
      GroupOffsets.Translated t =
          GroupOffsets.translateAndWrite(
              c, committed, GroupOffsets.Checkpoints.of(() -> lag), false);
      // A group that committed after the scan may already have read copies past its translated
      // position: at most everything copied from there on. Reconcile tells exactly, later.
      return new Outcome(
          t.summary()
              + " from their positions at "
              + lag.measuredAt()
              + "; a group that committed after that reads some records again, at most: "
              + t.copiedPast()
              + " (exactly: kdr reconcile, once the old cluster is back)",
          Map.of(
              "translatedOffsets",
              t.groups(),
              "mayReadAgainByGroup",
              t.copiedPast(),
              "translatedFrom",
              lag.measuredAt().toString()));
    }
  }
}
