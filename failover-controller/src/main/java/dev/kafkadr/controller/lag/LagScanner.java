package dev.kafkadr.controller.lag;

import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.tenant.NamingMode;
import dev.kafkadr.tenant.Patterns;
import dev.kafkadr.tenant.Provenance;
import dev.kafkadr.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.mirror.Heartbeat;

/**
 * Measures, for every tenant on every flow, how far the copy on the target is behind the source,
 * from the records themselves: the newest copied record's provenance header names the source offset
 * it came from, so the first source offset not yet copied is known exactly, and the source record
 * at that offset gives the age of the oldest data at risk. Offsets come from batched admin requests
 * (a handful per cluster per scan, whatever the number of partitions) and records from one consumer
 * per cluster that fetches every partition at once.
 *
 * <p>A source whose log start has moved past the first uncopied offset has discarded records
 * MirrorMaker 2 never copied: the scanner reports that range as a {@link Gap}, and keeps reporting
 * it after MM2 has moved on.
 */
public final class LagScanner implements AutoCloseable {

  /** MM2's heartbeats topic on a target (the name under every replication policy). */
  private static final String HEARTBEATS = "heartbeats";

  /** Newest heartbeat records searched: every flow into a target writes one a second. */
  private static final int HEARTBEAT_WINDOW = 200;

  private final TenantsFile file;
  private final double atRiskFraction;
  private final int tailWindow;
  private final Clock clock;
  private final ClusterAccess clusters;
  private final GroupScanner groups;
  private final GapTracker gaps = new GapTracker();

  /** Per flow and copy partition: its end and the source offset of its newest copied record. */
  private final Map<String, long[]> tails = new HashMap<>();

  private final ConnectWatcher connect;

  /**
   * A scanner for the flows of {@code file}.
   *
   * @param atRiskFraction share of the RPO from which a tenant is AT_RISK
   * @param tailWindow newest records of a copy searched for one copied from the flow's source
   * @param connectUrls REST URL of the Connect cluster that runs each target's flows, by target
   *     alias
   */
  public LagScanner(
      TenantsFile file,
      double atRiskFraction,
      int tailWindow,
      Map<String, String> connectUrls,
      Clock clock) {
    this.file = file;
    this.connect = new ConnectWatcher(connectUrls);
    this.clusters = new ClusterAccess(file);
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
                  0,
                  0,
                  RpoStatus.UNKNOWN,
                  List.of(),
                  gaps.of(flow, id),
                  List.of(),
                  health(flow, id, -1),
                  why,
                  start));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return new Scan(start, Duration.between(start, clock.instant()), out, clusters.requests());
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

  private List<FlowLag> scanFlow(FlowSpec flow, Instant now)
      throws ExecutionException, InterruptedException {
    Admin source = admin(flow.source());
    Admin target = admin(flow.target());
    Layout layout = layout(flow, source, target);
    Map<TopicPartition, String> tenantOf = layout.tenantOf();
    Map<TopicPartition, TopicPartition> copyOf = layout.copyOf();
    Map<TopicPartition, Long> starts = offsets(source, tenantOf.keySet(), OffsetSpec.earliest());
    Map<TopicPartition, Long> ends = offsets(source, tenantOf.keySet(), OffsetSpec.latest());
    Map<TopicPartition, Long> copyStarts = offsets(target, copyOf.values(), OffsetSpec.earliest());
    Map<TopicPartition, Long> copyEnds = offsets(target, copyOf.values(), OffsetSpec.latest());
    Map<TopicPartition, Long> copied = lastCopied(flow, copyOf, copyStarts, copyEnds);

    Map<TopicPartition, String> measuredBy = new HashMap<>();
    Map<TopicPartition, Long> firstUncopied =
        firstUncopied(tenantOf.keySet(), copyOf, starts, copyStarts, copyEnds, copied, measuredBy);
    connect.fromConnectorOffsets(flow, tenantOf, firstUncopied, measuredBy);
    gaps.recreated(flow, tenantOf, firstUncopied, measuredBy, starts, ends, now);
    Map<TopicPartition, long[]> pending = new HashMap<>();
    for (var e : firstUncopied.entrySet()) {
      TopicPartition tp = e.getKey();
      long from = Math.max(e.getValue(), starts.get(tp));
      if (from < ends.get(tp)) {
        pending.put(tp, new long[] {from, ends.get(tp)});
      }
      if (e.getValue() < starts.get(tp)) {
        gaps.record(flow, tenantOf.get(tp), tp, e.getValue(), starts.get(tp), now);
      }
    }
    Map<TopicPartition, Long> oldest =
        AtRisk.oldest(reader(flow.source()), pending, flow.target(), tailWindow, firstUncopied);

    Map<String, List<PartitionLag>> byTenant = new LinkedHashMap<>();
    flow.tenants().forEach(id -> byTenant.put(id, new ArrayList<>()));
    for (var e : tenantOf.entrySet()) {
      TopicPartition tp = e.getKey();
      long from = firstUncopied.getOrDefault(tp, -1L);
      long lag = from < 0 ? 0 : Math.max(0, ends.get(tp) - Math.max(from, starts.get(tp)));
      Long ts = oldest.get(tp);
      double age = ts == null ? 0 : Math.max(0, (now.toEpochMilli() - ts) / 1000.0);
      TopicPartition copy = copyOf.get(tp);
      byTenant
          .get(e.getValue())
          .add(
              new PartitionLag(
                  tp.topic(),
                  tp.partition(),
                  copy == null ? null : copy.topic(),
                  starts.get(tp),
                  ends.get(tp),
                  from,
                  measuredBy.get(tp),
                  lag,
                  lag == 0 ? 0 : age,
                  lag == 0 || ts == null ? -1 : ts));
    }
    List<FlowLag> out = new ArrayList<>();
    double heartbeat = heartbeatAge(flow, layout.targetTopics().contains(HEARTBEATS), now);
    Map<String, List<GroupLag>> groupLags = groups.scan(flow, tenantOf, copyOf, copyEnds, now);
    byTenant.forEach(
        (id, partitions) ->
            out.add(
                flowLag(
                    flow,
                    tenant(id),
                    partitions,
                    groupLags.get(id),
                    health(flow, id, heartbeat),
                    now)));
    return out;
  }

  /**
   * The first source offset not yet copied, per source partition whose copy tells it; how each was
   * found goes into {@code measuredBy}.
   */
  private static Map<TopicPartition, Long> firstUncopied(
      Set<TopicPartition> partitions,
      Map<TopicPartition, TopicPartition> copyOf,
      Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> copyStarts,
      Map<TopicPartition, Long> copyEnds,
      Map<TopicPartition, Long> copied,
      Map<TopicPartition, String> measuredBy) {
    Map<TopicPartition, Long> firstUncopied = new HashMap<>();
    for (TopicPartition tp : partitions) {
      TopicPartition copy = copyOf.get(tp);
      long start = starts.getOrDefault(tp, 0L);
      if (copy == null || copyEnds.getOrDefault(copy, 0L) <= copyStarts.getOrDefault(copy, 0L)) {
        firstUncopied.put(tp, start);
        measuredBy.put(tp, "empty-copy");
      } else if (copied.containsKey(copy)) {
        firstUncopied.put(tp, copied.get(copy) + 1);
        measuredBy.put(tp, "provenance");
      } else {
        measuredBy.put(tp, "unknown");
      }
    }
    return firstUncopied;
  }

  /**
   * The tenants' source partitions on a flow, and the copy of each that exists on the target.
   *
   * @param tenantOf each source partition's tenant, in file order
   * @param copyOf each source partition's copy, where the copy's topic exists
   * @param targetTopics every topic on the target
   */
  private record Layout(
      Map<TopicPartition, String> tenantOf,
      Map<TopicPartition, TopicPartition> copyOf,
      Set<String> targetTopics) {}

  private Layout layout(FlowSpec flow, Admin source, Admin target)
      throws ExecutionException, InterruptedException {
    Set<String> sourceTopics = listTopics(source);
    Set<String> targetTopics = listTopics(target);
    Map<String, List<String>> topicsOf = new LinkedHashMap<>();
    List<String> all = new ArrayList<>();
    for (String id : flow.tenants()) {
      Patterns.Compiled patterns = tenant(id).topics().compile();
      List<String> mine =
          sourceTopics.stream()
              .filter(t -> !isInternal(t))
              .filter(patterns::matches)
              .sorted()
              .toList();
      topicsOf.put(id, mine);
      all.addAll(mine);
    }
    Map<String, TopicDescription> described =
        all.isEmpty() ? Map.of() : count(source.describeTopics(all).allTopicNames()).get();
    Map<TopicPartition, String> tenantOf = new LinkedHashMap<>();
    Map<TopicPartition, TopicPartition> copyOf = new HashMap<>();
    for (var e : topicsOf.entrySet()) {
      Tenant tenant = tenant(e.getKey());
      for (String topic : e.getValue()) {
        String copy = tenant.naming() == NamingMode.PREFIXED ? flow.source() + "." + topic : topic;
        for (var p : described.get(topic).partitions()) {
          TopicPartition tp = new TopicPartition(topic, p.partition());
          tenantOf.put(tp, e.getKey());
          if (targetTopics.contains(copy)) {
            copyOf.put(tp, new TopicPartition(copy, p.partition()));
          }
        }
      }
    }
    return new Layout(tenantOf, copyOf, targetTopics);
  }

  private FlowLag flowLag(
      FlowSpec flow,
      Tenant tenant,
      List<PartitionLag> partitions,
      List<GroupLag> groupLags,
      FlowHealth health,
      Instant now) {
    long records = partitions.stream().mapToLong(PartitionLag::lagRecords).sum();
    double seconds = partitions.stream().mapToDouble(PartitionLag::lagSeconds).max().orElse(0);
    List<Gap> lost = gaps.of(flow, tenant.id());
    double rpo = tenant.rpo().toMillis() / 1000.0;
    RpoStatus status =
        seconds > rpo || !lost.isEmpty()
            ? RpoStatus.BREACH
            : seconds > rpo * atRiskFraction ? RpoStatus.AT_RISK : RpoStatus.OK;
    boolean unknown = partitions.stream().anyMatch(p -> "unknown".equals(p.measuredBy()));
    return new FlowLag(
        tenant.id(),
        flow.source(),
        flow.target(),
        tenant.rpo(),
        records,
        seconds,
        unknown ? RpoStatus.UNKNOWN : status,
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
        unknown
            ? "a copy holds no record from "
                + flow.source()
                + " among its newest "
                + tailWindow
                + " (kdr.scan.tail-window)"
            : null,
        now);
  }

  /**
   * For each copy partition with records, the source offset of the newest record copied from the
   * flow's source: its provenance header, one hop, from the source's alias. A copy whose end has
   * not moved since the last scan keeps its last answer; otherwise the newest record is tried
   * first, and copies whose newest record came from elsewhere are searched back {@code tailWindow}
   * records.
   */
  private Map<TopicPartition, Long> lastCopied(
      FlowSpec flow,
      Map<TopicPartition, TopicPartition> copyOf,
      Map<TopicPartition, Long> copyStarts,
      Map<TopicPartition, Long> copyEnds) {
    Map<TopicPartition, Long> out = new HashMap<>();
    String flowKey = flow.source() + "->" + flow.target() + "|";
    // A copy whose end has not moved since the last scan still ends with the same record.
    for (TopicPartition copy : copyOf.values()) {
      long[] known = tails.get(flowKey + copy);
      if (known != null && known[0] == copyEnds.getOrDefault(copy, 0L)) {
        out.put(copy, known[1]);
      }
    }
    for (int window : List.of(1, tailWindow)) {
      Map<TopicPartition, long[]> ranges = new HashMap<>();
      for (TopicPartition copy : copyOf.values()) {
        long end = copyEnds.getOrDefault(copy, 0L);
        long start = copyStarts.getOrDefault(copy, 0L);
        if (end > start && !out.containsKey(copy)) {
          ranges.put(copy, new long[] {Math.max(start, end - window), end});
        }
      }
      reader(flow.target())
          .read(ranges, window)
          .forEach(
              (copy, records) -> {
                for (int i = records.size() - 1; i >= 0; i--) {
                  Optional<Long> offset = sourceOffset(records.get(i), flow.source());
                  if (offset.isPresent()) {
                    out.put(copy, offset.get());
                    tails.put(flowKey + copy, new long[] {copyEnds.get(copy), offset.get()});
                    break;
                  }
                }
              });
    }
    return out;
  }

  private FlowHealth health(FlowSpec flow, String tenant, double heartbeatAge) {
    ConnectWatcher.Result r =
        connect.states(flow.target(), tenant + "." + flow.source() + "-to-" + flow.target());
    return new FlowHealth(r.replication(), r.connectors(), heartbeatAge, r.problem());
  }

  /**
   * Age of the newest MM2 heartbeat from the flow's source to its target in the target's heartbeats
   * topic, -1 when there is none among its newest records.
   */
  private double heartbeatAge(FlowSpec flow, boolean exists, Instant now)
      throws ExecutionException, InterruptedException {
    if (!exists) {
      return -1;
    }
    Admin target = admin(flow.target());
    Map<String, TopicDescription> d =
        count(target.describeTopics(List.of(HEARTBEATS)).allTopicNames()).get();
    List<TopicPartition> partitions =
        d.get(HEARTBEATS).partitions().stream()
            .map(p -> new TopicPartition(HEARTBEATS, p.partition()))
            .toList();
    Map<TopicPartition, Long> starts = offsets(target, partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> ends = offsets(target, partitions, OffsetSpec.latest());
    Map<TopicPartition, long[]> ranges = new HashMap<>();
    for (TopicPartition tp : partitions) {
      if (ends.get(tp) > starts.get(tp)) {
        ranges.put(
            tp,
            new long[] {Math.max(starts.get(tp), ends.get(tp) - HEARTBEAT_WINDOW), ends.get(tp)});
      }
    }
    long newest = -1;
    for (List<ConsumerRecord<byte[], byte[]>> records :
        reader(flow.target()).read(ranges, HEARTBEAT_WINDOW).values()) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        try {
          Heartbeat h = Heartbeat.deserializeRecord(r);
          if (h.sourceClusterAlias().equals(flow.source())
              && h.targetClusterAlias().equals(flow.target())) {
            newest = Math.max(newest, h.timestamp());
          }
        } catch (RuntimeException e) {
          // Not a heartbeat record: something else writes to the topic; ignore it.
        }
      }
    }
    return newest < 0 ? -1 : Math.max(0, (now.toEpochMilli() - newest) / 1000.0);
  }

  private static Optional<Long> sourceOffset(ConsumerRecord<byte[], byte[]> r, String source) {
    Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    return Provenance.copiedFrom(h == null ? null : h.value(), source);
  }

  private Map<TopicPartition, Long> offsets(
      Admin admin, java.util.Collection<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException {
    return clusters.offsets(admin, partitions, spec);
  }

  private Set<String> listTopics(Admin admin) throws ExecutionException, InterruptedException {
    return clusters.listTopics(admin);
  }

  private <T> T count(T request) {
    return clusters.count(request);
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
