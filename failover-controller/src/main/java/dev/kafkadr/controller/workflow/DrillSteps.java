package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.drill.DrillReports;
import dev.kafkadr.controller.lag.FlowLag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The first steps of a verify drill (non-disruptive: nothing is fenced, no client moves): the cut
 * it verifies up to, the wait for the copy to pass it, and the numbers a switchover would start
 * from. The comparisons are {@link DrillCompare}'s; the report {@link DrillReport}'s.
 */
final class DrillSteps {

  /** Offsets of older records compared again per partition, chosen at random, per drill. */
  static final int SAMPLE = 1000;

  private DrillSteps() {}

  /** The directory of the drill reports under the journal directory. */
  static Path reportsDir(StepContext c) {
    return c.settings().journalDir().resolve("drills");
  }

  /** A fact of partitions as a map from partition name to a number or a list of numbers. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> partitionsFact(StepContext c, String name) {
    return (Map<String, Object>) c.facts().getOrDefault(name, Map.of());
  }

  static long number(Object o) {
    return ((Number) o).longValue();
  }

  static TopicPartition partition(String name) {
    int dash = name.lastIndexOf('-');
    return new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1)));
  }

  /**
   * Each partition's last stable offset on the tenant's active cluster now (the cut); from where it
   * is compared: the previous passed drill's cut, or the log start for the first; and a random
   * window of up to {@link #SAMPLE} older offsets compared again.
   */
  static final class Cut implements Step {
    @Override
    public boolean interruptible() {
      return true; // it only reads
    }

    @Override
    public String name() {
      return "cut";
    }

    @Override
    public String plan(StepContext c) {
      return "would read each partition's last stable offset on "
          + c.from().alias()
          + " as the cut to verify up to";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Map<String, long[]> ranges = logRanges(c);
      Map<String, Long> previous = previousCuts(c);
      Map<String, Object> cut = new TreeMap<>();
      Map<String, Object> from = new TreeMap<>();
      Map<String, Object> sample = new TreeMap<>();
      long total = 0;
      for (var e : ranges.entrySet()) {
        String tp = e.getKey();
        long start = e.getValue()[0];
        long lso = e.getValue()[1];
        long f = Math.max(start, Math.min(previous.getOrDefault(tp, start), lso));
        cut.put(tp, lso);
        from.put(tp, f);
        total += lso - f;
        if (f > start) {
          long w = Math.min(SAMPLE, f - start);
          long s = start + ThreadLocalRandom.current().nextLong(f - start - w + 1);
          sample.put(tp, List.of(s, s + w, start));
        }
      }
      Map<String, Object> facts = new LinkedHashMap<>();
      facts.put("drillCut", cut);
      facts.put("drillFrom", from);
      facts.put("drillSample", sample);
      facts.put("drillCopies", copiesFact(c));
      return new Outcome(
          ranges.size()
              + " partition(s) cut at their last stable offset on "
              + c.from().alias()
              + "; "
              + total
              + " offsets to verify"
              + (previous.isEmpty()
                  ? " (from each log start: no passed drill before)"
                  : " since the last passed drill")
              + (sample.isEmpty() ? "" : ", and a random sample of older ones"),
          facts);
    }

    /** The cuts of the tenant's newest report, when its completeness check passed. */
    private static Map<String, Long> previousCuts(StepContext c) {
      Map<String, Long> out = new TreeMap<>();
      new DrillReports(reportsDir(c))
          .latest(c.tenant().id())
          .map(r -> r.path("checks").path("completeness"))
          .filter(check -> check.path("passed").asBoolean(false))
          .ifPresent(
              check ->
                  check
                      .path("partitions")
                      .properties()
                      .forEach(e -> out.put(e.getKey(), e.getValue().path("cut").asLong())));
      return out;
    }
  }

  /**
   * Waits, up to the tenant's RPO, for every partition's copy to pass the cut. A copy that does not
   * is not a failure here: the comparison reports its records as not yet copied.
   */
  static final class AwaitCopy implements Step {

    private final String prefix;

    /** The verify drill's wait: for the cut in the fact {@code drillCut}. */
    AwaitCopy() {
      this("drill");
    }

    /**
     * A wait for the cut in the fact {@code <prefix>Cut}, what is still behind recorded as {@code
     * <prefix>CopyBehind}.
     */
    AwaitCopy(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public boolean interruptible() {
      return true; // it only reads
    }

    @Override
    public String name() {
      return "await-copy";
    }

    @Override
    public String plan(StepContext c) {
      return "would wait up to the RPO ("
          + c.tenant().rpo().toSeconds()
          + " s"
          + ") for the copy on "
          + c.to().alias()
          + " to pass the cut";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Map<String, Object> cut = partitionsFact(c, prefix + "Cut");
      long started = System.nanoTime();
      long until = started + c.tenant().rpo().toNanos();
      Map<String, Long> behind = behind(c, cut);
      while (!behind.isEmpty() && System.nanoTime() < until) {
        c.progress(
            behind.values().stream().mapToLong(Long::longValue).sum() + " records to the cut");
        Thread.sleep(500);
        behind = behind(c, cut);
      }
      long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
      if (behind.isEmpty()) {
        return new Outcome(
            "the copy on " + c.to().alias() + " passed the cut after " + millis + " ms",
            Map.of(prefix + "CopyBehind", Map.of()));
      }
      return new Outcome(
          "the copy had not passed the cut after the RPO ("
              + c.tenant().rpo().toSeconds()
              + " s"
              + "): behind by "
              + behind
              + " (the comparison reports them as not yet copied)",
          Map.of(prefix + "CopyBehind", behind));
    }

    /** Per partition whose copy has not passed its cut, the records between. */
    private static Map<String, Long> behind(StepContext c, Map<String, Object> cut)
        throws Exception {
      Optional<FlowLag> lag =
          c.monitor().lastMeasured(c.tenant().id(), c.from().alias(), c.to().alias());
      Map<String, Long> out = new TreeMap<>();
      if (lag.isEmpty()) {
        cut.forEach((tp, o) -> out.put(tp, number(o)));
        return out;
      }
      Map<TopicPartition, Long> next = CopyEnds.nextToCopy(c, lag.get());
      cut.forEach(
          (tp, o) -> {
            long n = next.getOrDefault(partition(tp), -1L);
            if (n < number(o)) {
              out.put(tp, n < 0 ? number(o) : number(o) - n);
            }
          });
      return out;
    }
  }

  /**
   * The numbers a switchover would start from: the data at risk now against the RPO (from the lag
   * monitor's newest scan), and an RTO estimate: the RTO the tenant's newest successful switchover
   * or failback measured, with its date; UNKNOWN, with the reason, where there is none.
   */
  static final class Numbers implements Step {
    @Override
    public String name() {
      return "measure-rpo-rto";
    }

    @Override
    public String plan(StepContext c) {
      return "would read the data at risk now and the tenant's last measured switchover RTO";
    }

    @Override
    public Outcome run(StepContext c) throws Exception {
      Map<String, Object> facts = new LinkedHashMap<>();
      Optional<FlowLag> lag =
          c.monitor().lastMeasured(c.tenant().id(), c.from().alias(), c.to().alias());
      String risk;
      if (lag.isPresent() && lag.get().known()) {
        facts.put("drillDataAtRiskRecords", lag.get().lagRecords());
        facts.put("drillDataAtRiskSeconds", lag.get().lagSeconds());
        facts.put("drillRpoStatus", lag.get().status().name());
        risk =
            lag.get().lagRecords()
                + " records ("
                + lag.get().lagSeconds()
                + " s) at risk, "
                + lag.get().status();
      } else {
        String why = lag.map(FlowLag::problem).orElse("no scan of the flow yet");
        facts.put("drillDataAtRiskUnknown", why);
        risk = "data at risk UNKNOWN: " + why;
      }
      facts.put("drillRpoSeconds", c.tenant().rpo().toSeconds());
      facts.put("drillRtoTargetSeconds", c.tenant().rto().toSeconds());
      Optional<Map<String, Object>> rto = lastRto(c);
      if (rto.isPresent()) {
        facts.put("drillRtoEstimate", rto.get());
      } else {
        facts.put(
            "drillRtoEstimateUnknown",
            "no switchover or failback of this tenant has finished under this controller");
      }
      return new Outcome(
          risk
              + " against an RPO of "
              + c.tenant().rpo().toSeconds()
              + " s"
              + "; RTO estimate "
              + rto.map(
                      r ->
                          r.get("millis")
                              + " ms (the "
                              + r.get("kind")
                              + " of "
                              + r.get("at")
                              + ")")
                  .orElse("UNKNOWN (no switchover of this tenant measured yet)"),
          facts);
    }

    /** The newest successful switchover's or failback's RTO of the tenant, from the journals. */
    private static Optional<Map<String, Object>> lastRto(StepContext c) throws Exception {
      Map<String, Object> best = null;
      long bestAt = -1;
      {
        for (String log :
            c.settings().store().logs("").stream()
                .filter(l -> l.contains("-" + c.tenant().id() + "-"))
                .toList()) {
          String kind = null;
          Object switched = null;
          for (Journal.Event e : new Journal(c.settings().store(), log).read()) {
            if ("created".equals(e.type())) {
              kind = String.valueOf(e.facts().get("kind"));
            }
            if (e.facts() != null && e.facts().containsKey("trafficSwitchedMillis")) {
              switched = e.facts().get("trafficSwitchedMillis");
            }
            boolean moved = "SWITCHOVER".equals(kind) || "FAILBACK".equals(kind);
            if ("finished".equals(e.type())
                && moved
                && e.facts() != null
                && "SUCCEEDED".equals(e.facts().get("outcome"))
                && e.at() > bestAt) {
              bestAt = e.at();
              best = new LinkedHashMap<>();
              best.put("kind", kind.toLowerCase(java.util.Locale.ROOT));
              best.put("at", java.time.Instant.ofEpochMilli(e.at()).toString());
              best.put("millis", switched != null ? switched : e.facts().get("rtoMillis"));
            }
          }
        }
      }
      return Optional.ofNullable(best);
    }
  }

  /**
   * Each source partition's copy on the target (the tenant's naming decides its name), as the cut
   * recorded them, else from the lag monitor's newest scan; absent where the scan found no copy.
   */
  static Map<TopicPartition, TopicPartition> copies(StepContext c) {
    return copies(c, "drillCopies");
  }

  /**
   * Each of the tenant's partitions on its active cluster now, by name ({@code topic-N}, sorted):
   * {log start offset, last stable offset}.
   */
  static Map<String, long[]> logRanges(StepContext c) throws Exception {
    Admin source = c.admin(c.from());
    List<TopicPartition> partitions = TenantTopics.partitions(source, c.tenant());
    Map<TopicPartition, Long> starts =
        TenantTopics.offsets(source, partitions, OffsetSpec.earliest());
    Map<String, long[]> out = new TreeMap<>();
    TenantTopics.lastStable(source, partitions)
        .forEach((tp, o) -> out.put(tp, new long[] {starts.get(partition(tp)), number(o)}));
    return out;
  }

  /** Each partition's copy topic by partition name, as {@link #copies(StepContext)} finds it. */
  static Map<String, Object> copiesFact(StepContext c) {
    Map<String, Object> out = new TreeMap<>();
    copies(c).forEach((tp, copy) -> out.put(tp.toString(), copy.topic()));
    return out;
  }

  /**
   * Each partition's copy as the fact {@code fact} (partition name to copy topic) records it, or as
   * the lag monitor's newest scan of the flow says where the fact is empty.
   */
  static Map<TopicPartition, TopicPartition> copies(StepContext c, String fact) {
    Map<TopicPartition, TopicPartition> out = new java.util.HashMap<>();
    Map<String, Object> cut = partitionsFact(c, fact);
    if (!cut.isEmpty()) { // as the cut found them (a switchover drill compares after the switch)
      cut.forEach(
          (tp, copy) ->
              out.put(partition(tp), new TopicPartition((String) copy, partition(tp).partition())));
      return out;
    }
    c.monitor()
        .lastMeasured(c.tenant().id(), c.from().alias(), c.to().alias())
        .ifPresent(
            lag ->
                lag.partitions().stream()
                    .filter(p -> p.copy() != null)
                    .forEach(
                        p ->
                            out.put(
                                new TopicPartition(p.topic(), p.partition()),
                                new TopicPartition(p.copy(), p.partition()))));
    return out;
  }

  /** The names of the partitions in a fact, sorted. */
  static List<String> names(Map<String, Object> fact) {
    return new ArrayList<>(new TreeMap<>(fact).keySet());
  }
}
