package dev.kafkadr.controller.lag;

import dev.kafkadr.config.ConnectPlacement;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.connect.ConnectEndpoints;
import dev.kafkadr.controller.lag.measure.AtRiskBound;
import dev.kafkadr.controller.lag.measure.AtRiskBound.Measure;
import dev.kafkadr.controller.lag.measure.CopyPosition;
import dev.kafkadr.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures, for every tenant on every flow, how far the copy on the target is behind the source,
 * from the records themselves: the newest copied record's provenance header names the source offset
 * it came from, so the first source offset not yet copied is known exactly, and the source record
 * at that offset gives the age of the oldest data at risk. The copy is read first and the source
 * after it, so each figure is at least the records not copied at any moment of the scan ({@link
 * AtRiskBound}); a read that fails or takes longer than the read timeout leaves its partition
 * UNKNOWN, with why, and never becomes a number. Offsets come from batched admin requests (a
 * handful per cluster per scan, whatever the number of partitions) and records from one consumer
 * per cluster that fetches every partition at once.
 *
 * <p>A source whose log start has moved past the first uncopied offset may have discarded records
 * MirrorMaker 2 never copied: the scanner reports that range at once as an unconfirmed {@link Gap}
 * (an upper bound), then walks the copy for the step MM2 took over it ({@link CopySkips}) and keeps
 * reporting the confirmed range after MM2 has moved on. The age of data at risk is never under the
 * time since a scan first saw it ({@link UncopiedSince}).
 */
public final class LagScanner implements AutoCloseable {

  private final TenantsFile file;
  private final double atRiskFraction;
  private final int tailWindow;
  private final Clock clock;
  private final ClusterAccess clusters;
  private final GroupScanner groups;
  private final GapTracker gaps = new GapTracker();
  private final UncopiedSince uncopiedSince = new UncopiedSince();

  private final ConnectWatcher connect;
  private final CopyIncarnations incarnations;
  private final CopyPositions copies;

  /**
   * A scanner for the flows of {@code file}.
   *
   * @param atRiskFraction share of the RPO from which a tenant is AT_RISK
   * @param tailWindow newest records of a copy searched for one copied from the flow's source
   * @param connect REST URL of the Connect cluster that runs each target's flows, by target alias,
   *     and the credentials to call it with
   * @param readTimeout the longest any one read of a scan may take; a partition whose read takes
   *     longer is UNKNOWN
   */
  public LagScanner(
      TenantsFile file,
      double atRiskFraction,
      int tailWindow,
      ConnectEndpoints connect,
      Duration readTimeout,
      Clock clock) {
    this(file, atRiskFraction, tailWindow, connect, readTimeout, clock, null);
  }

  /**
   * As above, keeping what it learns of the copies' runs (recreated source topics, re-copies) in
   * {@code copyRunsFile} across restarts (in memory only when null).
   */
  public LagScanner(
      TenantsFile file,
      double atRiskFraction,
      int tailWindow,
      ConnectEndpoints connect,
      Duration readTimeout,
      Clock clock,
      java.nio.file.Path copyRunsFile) {
    this.incarnations = new CopyIncarnations(copyRunsFile);
    this.file = file;
    this.connect = new ConnectWatcher(connect, file.connect());
    this.clusters = new ClusterAccess(file, readTimeout);
    this.copies = new CopyPositions(clusters, tailWindow);
    this.groups = new GroupScanner(file, clusters);
    this.atRiskFraction = atRiskFraction;
    this.tailWindow = tailWindow;
    this.clock = clock;
  }

  /** Scans every tenant on every flow; a flow that cannot be measured is UNKNOWN, with why. */
  public Scan scan() {
    return scan(file.flows());
  }

  /**
   * Scans every tenant on each of {@code flows} (the file's, some perhaps reversed for tenants a
   * workflow moved); a flow that cannot be measured is UNKNOWN, with why.
   */
  public synchronized Scan scan(List<FlowSpec> flows) {
    Instant start = clock.instant();
    clusters.resetRequests();
    List<FlowLag> out = new ArrayList<>();
    for (FlowSpec flow : flows) {
      try {
        out.addAll(scanFlow(flow, start));
      } catch (RuntimeException | ExecutionException e) {
        String why = e instanceof ExecutionException ? e.getCause().toString() : e.toString();
        for (String id : flow.tenants()) {
          Tenant tenant = tenant(id);
          out.add(
              new FlowLag(
                  id,
                  flow.source(),
                  flow.target(),
                  tenant.rpo(),
                  -1,
                  -1,
                  RpoStatus.UNKNOWN,
                  List.of(),
                  gaps.of(flow, id),
                  List.of(),
                  health(flow, id, -1, Map.of(), null),
                  why,
                  start,
                  clock.instant()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return new Scan(
        start, Duration.between(start, clock.instant()), out, clusters.requests(), null);
  }

  /**
   * Scans one flow now, declared in the tenants file or not (a reverse flow a switchover started).
   *
   * @throws IllegalStateException when the flow cannot be measured, with why
   */
  public synchronized List<FlowLag> scan(FlowSpec flow) {
    try {
      return scanFlow(flow, clock.instant());
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().toString(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Scans one flow: the copy's positions first (t1), then the source's log starts and ends (t2), so
   * that each partition's figure bounds the records not copied at every moment in between ({@link
   * AtRiskBound}); {@code measuredAt} is the instant between the two.
   */
  private List<FlowLag> scanFlow(FlowSpec flow, Instant scannedAt)
      throws ExecutionException, InterruptedException {
    FlowLayout layout = FlowLayout.read(file, flow, clusters);
    Map<TopicPartition, CopyPosition> positions = copies.read(flow, layout);
    connect.fromConnectorOffsets(flow, layout.tenantOf(), positions);
    Instant measuredAt = clock.instant();
    Admin source = admin(flow.source());
    Set<TopicPartition> partitions = layout.tenantOf().keySet();
    ClusterAccess.Offsets starts = clusters.offsets(source, partitions, OffsetSpec.earliest());
    ClusterAccess.Offsets stable = clusters.offsets(source, partitions, OffsetSpec.latest());
    ClusterAccess.Offsets hw =
        clusters.offsets(source, partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
    positions = incarnations.check(scene(flow, layout, starts, hw, measuredAt), positions);

    Measured m = measure(flow, layout, positions, starts, stable, hw, measuredAt);
    Map<TopicPartition, Measure> measures = m.measures();
    Map<TopicPartition, PartitionFigures.Source> reads = m.reads();
    Map<TopicPartition, long[]> pending = m.pending();
    Set<TopicPartition> describe = m.describe();
    AtRisk.Front front =
        AtRisk.front(reader(flow.source()), pending, flow.target(), tailWindow, clusters.timeout());
    SourceProducers producers =
        SourceProducers.describe(
            clusters,
            source,
            clusters.uncommittedReader(flow.source()),
            describe,
            stable.values(),
            hw.values());

    Map<String, List<PartitionLag>> byTenant = new LinkedHashMap<>();
    flow.tenants().forEach(id -> byTenant.put(id, new ArrayList<>()));
    for (var e : layout.tenantOf().entrySet()) {
      TopicPartition tp = e.getKey();
      byTenant
          .get(e.getValue())
          .add(
              PartitionFigures.of(
                  tp,
                  layout.copyOf().get(tp),
                  measures.get(tp),
                  positions.get(tp),
                  reads.get(tp),
                  front,
                  producers,
                  uncopiedSince.of(flow.source() + "->" + flow.target(), tp),
                  measuredAt));
    }
    List<FlowLag> out = new ArrayList<>();
    double heartbeat =
        HeartbeatAge.of(
            flow, layout.targetTopics().contains(HeartbeatAge.HEARTBEATS), measuredAt, clusters);
    Map<TopicPartition, Long> copyEnds = new HashMap<>();
    positions.forEach(
        (tp, p) -> {
          if (p.copyEnd() >= 0 && layout.copyOf().containsKey(tp)) {
            copyEnds.put(layout.copyOf().get(tp), p.copyEnd());
          }
        });
    Map<String, List<GroupLag>> groupLags =
        groups.scan(flow, layout.tenantOf(), layout.copyOf(), copyEnds, measuredAt);
    byTenant.forEach(
        (id, parts) ->
            out.add(
                flowLag(
                    flow,
                    tenant(id),
                    parts,
                    groupLags.get(id),
                    health(flow, id, heartbeat, pending, layout),
                    scannedAt,
                    measuredAt)));
    return out;
  }

  /**
   * The bound of each partition, with what is read next: the committed ranges left to copy (their
   * front) and the partitions whose producers to describe.
   */
  private record Measured(
      Map<TopicPartition, Measure> measures,
      Map<TopicPartition, PartitionFigures.Source> reads,
      Map<TopicPartition, long[]> pending,
      Set<TopicPartition> describe) {}

  private Measured measure(
      FlowSpec flow,
      FlowLayout layout,
      Map<TopicPartition, CopyPosition> positions,
      ClusterAccess.Offsets starts,
      ClusterAccess.Offsets stable,
      ClusterAccess.Offsets hw,
      Instant measuredAt) {
    Measured out = new Measured(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashSet<>());
    for (var e : layout.tenantOf().entrySet()) {
      TopicPartition tp = e.getKey();
      Long start = starts.values().get(tp);
      Long lso = stable.values().get(tp);
      Long end = hw.values().get(tp);
      Measure m;
      if (start == null || lso == null || end == null) {
        String why =
            starts
                .failures()
                .getOrDefault(tp, stable.failures().getOrDefault(tp, hw.failures().get(tp)));
        m = new Measure("unknown", -1, -1, flow.source() + " " + tp + ": " + why, false);
        out.reads().put(tp, new PartitionFigures.Source(-1, -1, -1));
      } else {
        Measure bound = AtRiskBound.measure(positions.get(tp), start, end);
        m = gaps.track(flow, e.getValue(), tp, bound, start, end, measuredAt);
        out.reads().put(tp, new PartitionFigures.Source(start, lso, end));
        long from = Math.max(m.firstUncopied(), start);
        if (m.known() && from < lso) {
          out.pending().put(tp, new long[] {from, lso});
        }
        if (m.known() && m.lagRecords() > 0) {
          out.describe().add(tp); // offsets wait: markers among them, or a transaction holding them
        }
      }
      out.measures().put(tp, m);
    }
    return out;
  }

  private FlowLag flowLag(
      FlowSpec flow,
      Tenant tenant,
      List<PartitionLag> partitions,
      List<GroupLag> groupLags,
      FlowHealth health,
      Instant scannedAt,
      Instant measuredAt) {
    List<PartitionLag> unknown = partitions.stream().filter(p -> !p.known()).toList();
    long records =
        unknown.isEmpty() ? partitions.stream().mapToLong(PartitionLag::lagRecords).sum() : -1;
    double seconds =
        unknown.isEmpty()
            ? partitions.stream().mapToDouble(PartitionLag::lagSeconds).max().orElse(0)
            : -1;
    List<Gap> lost = gaps.of(flow, tenant.id());
    double rpo = tenant.rpo().toMillis() / 1000.0;
    RpoStatus status =
        !unknown.isEmpty()
            ? RpoStatus.UNKNOWN
            : seconds > rpo || !lost.isEmpty()
                ? RpoStatus.BREACH
                : seconds > rpo * atRiskFraction ? RpoStatus.AT_RISK : RpoStatus.OK;
    String problem =
        unknown.isEmpty()
            ? null
            : unknown.size()
                + " of "
                + partitions.size()
                + " partitions not measured: "
                + unknown.get(0).topic()
                + "-"
                + unknown.get(0).partition()
                + ": "
                + unknown.get(0).unknownReason();
    return new FlowLag(
        tenant.id(),
        flow.source(),
        flow.target(),
        tenant.rpo(),
        records,
        seconds,
        status,
        partitions.stream()
            .sorted(
                (a, b) ->
                    a.topic().equals(b.topic())
                        ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()))
            .toList(),
        lost,
        groupLags,
        health,
        problem,
        scannedAt,
        measuredAt);
  }

  /**
   * The flow's connectors for {@code tenant}; when a source task failed on a record too large, the
   * records refused among the tenant's {@code pending} ranges (first uncopied offset, LSO).
   */
  private FlowHealth health(
      FlowSpec flow,
      String tenant,
      double heartbeatAge,
      Map<TopicPartition, long[]> pending,
      FlowLayout layout) {
    String name = tenant + "." + flow.source() + "-to-" + flow.target();
    ConnectWatcher.Result r = connect.states(tenant, flow.target(), name);
    List<RefusedRecord> refused = List.of();
    if (r.recordTooLarge() && layout != null) {
      Map<TopicPartition, long[]> next = new HashMap<>(pending);
      next.keySet().removeIf(tp -> !tenant.equals(layout.tenantOf().get(tp)));
      refused =
          RefusedRecords.find(
              next,
              layout.copyOf(),
              connect.config(tenant, flow.target(), name + ".source"),
              flow.source(),
              reader(flow.source()),
              admin(flow.target()),
              clusters.timeout());
    }
    ConnectPlacement.Placement placement = file.connect().of(tenant);
    return new FlowHealth(
        r.replication(),
        r.connectors(),
        heartbeatAge,
        r.problem(),
        placement.delivery().configName(),
        placement.connectCluster(),
        refused);
  }

  private CopyIncarnations.Scene scene(
      FlowSpec flow,
      FlowLayout layout,
      ClusterAccess.Offsets starts,
      ClusterAccess.Offsets hw,
      Instant measuredAt)
      throws ExecutionException, InterruptedException {
    return new CopyIncarnations.Scene(
        flow,
        layout,
        copies,
        layout.sourceTopicIds(),
        FlowLayout.topicIds(flow, layout.sourceTopicIds().keySet(), clusters),
        starts.values(),
        hw.values(),
        new Readers(
            flow.source(), reader(flow.source()), reader(flow.target()), clusters.timeout()),
        gaps,
        measuredAt);
  }

  /** What the scans learned of the copies' runs: recreated source topics, re-copies. */
  public CopyIncarnations incarnations() {
    return incarnations;
  }

  /** MM2's and Connect's own topics, never a tenant's. */
  static boolean isInternal(String topic) {
    return topic.startsWith("mm2-")
        || topic.endsWith(".internal")
        || "heartbeats".equals(topic)
        || topic.endsWith(".heartbeats")
        || topic.startsWith("__");
  }

  private Tenant tenant(String id) {
    return file.tenants().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  private Admin admin(String alias) {
    return clusters.admin(alias);
  }

  private PartitionReader reader(String alias) {
    return clusters.reader(alias);
  }

  @Override
  public synchronized void close() {
    groups.close();
    clusters.close();
  }
}
