package dev.kafkadr.controller.migration;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.config.TenantAccess;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.controller.workflow.TenantTopics;
import dev.kafkadr.tenant.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures a {@link MigrationPlan} for one tenant: reads the source and the target through the
 * Admin API and a read-committed consumer (the newest {@value #SAMPLE} values of each partition,
 * for up to 10 s), changes nothing. Each Admin call waits at most 30 s (a plan makes a dozen, and
 * two per consumer group); a group or partition that cannot be read is reported among the warnings.
 */
public final class MigrationPlanner {

  /** Values read from the end of each partition to recognise Confluent's wire format. */
  static final int SAMPLE = 20;

  private static final long WAIT = 30;

  private final TenantsFile file;

  /** A planner over the clusters and tenants of {@code file}. */
  public MigrationPlanner(TenantsFile file) {
    this.file = file;
  }

  /**
   * The plan for moving {@code tenant} along its flow to {@code target} (its only flow's target
   * when null).
   *
   * @throws IllegalArgumentException when no flow carries the tenant to that target, naming both
   * @throws Exception when a cluster does not answer in time
   */
  public MigrationPlan plan(Tenant tenant, String target) throws Exception {
    FlowSpec flow = flow(tenant.id(), target);
    ClusterSpec source = file.cluster(flow.source());
    ClusterSpec to = file.cluster(flow.target());
    List<String> principals =
        file.access().getOrDefault(tenant.id(), List.of()).stream()
            .map(TenantAccess::principal)
            .distinct()
            .toList();
    try (Admin from = Admin.create(ClusterClients.adminConfig(source));
        Admin into = Admin.create(ClusterClients.adminConfig(to))) {
      List<TopicPartition> partitions = TenantTopics.partitions(from, tenant);
      List<String> unread = new ArrayList<>();
      List<MigrationPlan.TopicPlan> topics = topics(from, into, source, tenant, partitions, unread);
      List<MigrationPlan.GroupPlan> groups = groups(from, tenant, unread);
      List<MigrationPlan.ProducerPlan> producers = producers(from, partitions, unread);
      int replicationFactor =
          Integer.parseInt(
              file.overrides()
                  .getOrDefault(tenant.id(), Map.of())
                  .getOrDefault(
                      "replication.factor",
                      Integer.toString(
                          dev.kafkadr.config.ConnectConfigs.DEFAULT_REPLICATION_FACTOR)));
      MigrationPlan.TargetCapacity capacity = capacity(into, to, topics, replicationFactor);
      MigrationChecks.Findings findings =
          MigrationChecks.judge(tenant.naming(), topics, capacity, to.msk());
      MigrationPlan.Totals totals =
          new MigrationPlan.Totals(
              topics.size(),
              partitions.size(),
              topics.stream().mapToLong(MigrationPlan.TopicPlan::records).sum(),
              topics.stream().anyMatch(t -> t.bytes() < 0)
                  ? -1
                  : topics.stream().mapToLong(MigrationPlan.TopicPlan::bytes).sum(),
              groups.size(),
              producers.size());
      return new MigrationPlan(
          tenant.id(),
          flow.source(),
          flow.target(),
          Instant.now().toString(),
          totals,
          topics,
          groups,
          producers,
          file.access().getOrDefault(tenant.id(), List.of()).stream()
              .filter(a -> a.role() == TenantAccess.Role.PRODUCER)
              .map(TenantAccess::principal)
              .toList(),
          acls(from, principals, unread),
          quotas(from, principals),
          capacity,
          findings.blockers(),
          java.util.stream.Stream.concat(findings.warnings().stream(), unread.stream()).toList());
    }
  }

  private FlowSpec flow(String tenant, String target) {
    List<FlowSpec> carrying =
        file.flows().stream()
            .filter(f -> f.tenants().contains(tenant))
            .filter(f -> target == null || f.target().equals(target))
            .toList();
    if (carrying.size() != 1) {
      throw new IllegalArgumentException(
          (carrying.isEmpty() ? "no flow carries tenant " : "more than one flow carries tenant ")
              + tenant
              + (target == null ? "" : " to " + target)
              + (carrying.isEmpty() ? "" : ": name the target")
              + " (flows: "
              + file.flows().stream()
                  .map(f -> f.source() + " -> " + f.target() + " " + f.tenants())
                  .toList()
              + ")");
    }
    return carrying.get(0);
  }

  private static List<MigrationPlan.TopicPlan> topics(
      Admin from,
      Admin into,
      ClusterSpec source,
      Tenant tenant,
      List<TopicPartition> partitions,
      List<String> unread)
      throws Exception {
    Set<String> names = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
    if (names.isEmpty()) {
      return List.of();
    }
    Map<String, TopicDescription> described =
        from.describeTopics(names).allTopicNames().get(WAIT, TimeUnit.SECONDS);
    Map<String, Map<String, String>> configs = ownConfigs(from, names);
    Map<TopicPartition, Long> sizes = replicaSizes(from);
    Map<TopicPartition, Long> earliest =
        TenantTopics.offsets(from, partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = TenantTopics.offsets(from, partitions, OffsetSpec.latest());
    Set<String> onTarget =
        into.listTopics(new ListTopicsOptions().listInternal(false))
            .names()
            .get(WAIT, TimeUnit.SECONDS);
    // Read committed, the sample ends at each partition's last stable offset, not its high
    // watermark (an open transaction would otherwise keep it waiting for records it cannot see).
    Map<TopicPartition, Long> stable = TenantTopics.lastStableOffsets(from, partitions);
    Map<String, WireFormat.Sample> samples = sample(source, partitions, earliest, stable);
    List<MigrationPlan.TopicPlan> out = new ArrayList<>();
    for (String name : new TreeSet<>(names)) {
      TopicDescription d = described.get(name);
      List<TopicPartition> own = partitions.stream().filter(p -> p.topic().equals(name)).toList();
      Map<String, String> topicConfigs = configs.getOrDefault(name, Map.of());
      List<TopicPartition> unsized = own.stream().filter(p -> !sizes.containsKey(p)).toList();
      if (!unsized.isEmpty()) {
        unread.add(
            "size of topic "
                + name
                + " unknown: no broker reported a log directory for "
                + unsized);
      }
      out.add(
          new MigrationPlan.TopicPlan(
              name,
              name,
              d.partitions().size(),
              d.partitions().get(0).replicas().size(),
              own.stream().mapToLong(p -> latest.get(p) - earliest.get(p)).sum(),
              unsized.isEmpty() ? own.stream().mapToLong(sizes::get).sum() : -1,
              topicConfigs.getOrDefault("cleanup.policy", "delete").contains("compact"),
              topicConfigs,
              onTarget.contains(name),
              samples.getOrDefault(name, WireFormat.Sample.empty())));
    }
    return out;
  }

  /** Each topic's settings of its own (not the broker's or Kafka's defaults). */
  private static Map<String, Map<String, String>> ownConfigs(Admin admin, Set<String> topics)
      throws Exception {
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> all =
        admin.describeConfigs(resources).all().get(WAIT, TimeUnit.SECONDS);
    Map<String, Map<String, String>> out = new HashMap<>();
    all.forEach(
        (r, config) -> {
          Map<String, String> own = new TreeMap<>();
          for (ConfigEntry e : config.entries()) {
            if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && !e.isSensitive()) {
              own.put(e.name(), e.value());
            }
          }
          out.put(r.name(), own);
        });
    return out;
  }

  /** The largest replica of each partition on the cluster's brokers, in bytes. */
  private static Map<TopicPartition, Long> replicaSizes(Admin admin) throws Exception {
    List<Integer> brokers =
        admin.describeCluster().nodes().get(WAIT, TimeUnit.SECONDS).stream()
            .map(n -> n.id())
            .toList();
    Map<TopicPartition, Long> out = new HashMap<>();
    admin
        .describeLogDirs(brokers)
        .allDescriptions()
        .get(WAIT, TimeUnit.SECONDS)
        .values()
        .forEach(
            dirs ->
                dirs.values()
                    .forEach(
                        dir ->
                            dir.replicaInfos()
                                .forEach((tp, info) -> out.merge(tp, info.size(), Math::max))));
    return out;
  }

  /** The newest {@value #SAMPLE} committed values of each partition, read once. */
  private static Map<String, WireFormat.Sample> sample(
      ClusterSpec source,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> latest) {
    Map<String, Object> config =
        new HashMap<>(ClusterClients.readerConfig(source, "kdr-migration-plan"));
    config.put("max.poll.records", 500);
    Map<String, WireFormat.Sample> out = new HashMap<>();
    Map<TopicPartition, Long> remaining = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(partitions);
      for (TopicPartition p : partitions) {
        long from = Math.max(earliest.get(p), latest.get(p) - SAMPLE);
        consumer.seek(p, from);
        if (latest.get(p) > from) {
          remaining.put(p, latest.get(p));
        }
      }
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!remaining.isEmpty() && System.nanoTime() < until) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition p = new TopicPartition(r.topic(), r.partition());
          out.merge(r.topic(), WireFormat.Sample.empty().with(r.value()), WireFormat.Sample::merge);
          if (r.offset() + 1 >= remaining.getOrDefault(p, 0L)) {
            remaining.remove(p);
          }
        }
        remaining.keySet().removeIf(p -> consumer.position(p) >= latest.get(p));
      }
    }
    return out;
  }

  private static List<MigrationPlan.GroupPlan> groups(
      Admin admin, Tenant tenant, List<String> unread) throws Exception {
    List<String> ids = TenantTopics.groups(admin, tenant);
    if (ids.isEmpty()) {
      return List.of();
    }
    // One future per group: a group that is not a consumer group (Kafka 4 lists share and
    // streams groups too) or does not answer is reported as such, not fatal to the plan.
    Map<String, org.apache.kafka.common.KafkaFuture<ConsumerGroupDescription>> described =
        admin.describeConsumerGroups(ids).describedGroups();
    List<MigrationPlan.GroupPlan> out = new ArrayList<>();
    for (String id : ids) {
      ConsumerGroupDescription d;
      try {
        d = described.get(id).get(WAIT, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        out.add(
            new MigrationPlan.GroupPlan(
                id, "NOT DESCRIBED: " + e.getCause().getMessage(), -1, List.of()));
        unread.add("group " + id + " could not be described: " + e.getCause().getMessage());
        continue;
      }
      Map<TopicPartition, Long> committed = TenantTopics.committed(admin, id, tenant);
      Map<TopicPartition, Long> ends =
          TenantTopics.offsets(admin, committed.keySet(), OffsetSpec.latest());
      List<TopicPartition> endless =
          committed.keySet().stream().filter(p -> !ends.containsKey(p)).toList();
      long lag =
          endless.isEmpty()
              ? committed.entrySet().stream()
                  .mapToLong(e -> Math.max(0, ends.get(e.getKey()) - e.getValue()))
                  .sum()
              : -1;
      if (!endless.isEmpty()) {
        unread.add("lag of group " + id + " unknown: no end offset for " + endless);
      }
      List<MigrationPlan.Member> members =
          d.members().stream()
              .map(
                  m ->
                      new MigrationPlan.Member(
                          m.clientId(),
                          m.host(),
                          m.assignment().topicPartitions().stream()
                              .map(TopicPartition::toString)
                              .collect(Collectors.toCollection(TreeSet::new))))
              .toList();
      out.add(new MigrationPlan.GroupPlan(id, String.valueOf(d.groupState()), lag, members));
    }
    return out;
  }

  private static List<MigrationPlan.ProducerPlan> producers(
      Admin admin, Collection<TopicPartition> partitions, List<String> unread) throws Exception {
    if (partitions.isEmpty()) {
      return List.of();
    }
    List<MigrationPlan.ProducerPlan> out = new ArrayList<>();
    var result = admin.describeProducers(partitions);
    List<TopicPartition> sorted =
        partitions.stream()
            .sorted(java.util.Comparator.comparing(TopicPartition::toString))
            .toList();
    for (TopicPartition tp : sorted) {
      List<ProducerState> states;
      try {
        // A partition whose leader does not answer is reported, not fatal to the plan.
        states = result.partitionResult(tp).get(WAIT, TimeUnit.SECONDS).activeProducers();
      } catch (java.util.concurrent.ExecutionException e) {
        unread.add(
            "the producers of " + tp + " could not be described: " + e.getCause().getMessage());
        continue;
      }
      for (ProducerState s : states) {
        out.add(
            new MigrationPlan.ProducerPlan(
                tp.toString(),
                s.producerId(),
                s.producerEpoch(),
                s.lastTimestamp() < 0 ? "" : Instant.ofEpochMilli(s.lastTimestamp()).toString(),
                s.currentTransactionStartOffset().orElse(-1L)));
      }
    }
    return out;
  }

  private static List<String> acls(Admin admin, List<String> principals, List<String> unread)
      throws Exception {
    List<String> out = new ArrayList<>();
    for (String principal : principals) {
      AclBindingFilter filter =
          new AclBindingFilter(
              ResourcePatternFilter.ANY,
              new AccessControlEntryFilter(
                  principal, null, AclOperation.ANY, AclPermissionType.ANY));
      try {
        admin.describeAcls(filter).values().get(WAIT, TimeUnit.SECONDS).stream()
            .map(Object::toString)
            .sorted()
            .forEach(out::add);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof org.apache.kafka.common.errors.SecurityDisabledException) {
          unread.add("the source has no authorizer: there are no ACLs to move");
          return out;
        }
        throw e;
      }
    }
    return out;
  }

  private static Map<String, Map<String, Double>> quotas(Admin admin, List<String> principals)
      throws Exception {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (String principal : principals) {
      if (!principal.startsWith("User:")) {
        continue;
      }
      String user = principal.substring("User:".length());
      admin
          .describeClientQuotas(
              ClientQuotaFilter.contains(
                  List.of(ClientQuotaFilterComponent.ofEntity("user", user))))
          .entities()
          .get(WAIT, TimeUnit.SECONDS)
          .forEach((entity, quotas) -> out.put(entity.entries().toString(), new TreeMap<>(quotas)));
    }
    return out;
  }

  private static MigrationPlan.TargetCapacity capacity(
      Admin into, ClusterSpec to, List<MigrationPlan.TopicPlan> topics, int replicationFactor)
      throws Exception {
    var nodes = into.describeCluster().nodes().get(WAIT, TimeUnit.SECONDS);
    int brokers = nodes.size();
    long now = 0;
    Set<String> names =
        into.listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(WAIT, TimeUnit.SECONDS);
    if (!names.isEmpty()) {
      for (TopicDescription d :
          into.describeTopics(names).allTopicNames().get(WAIT, TimeUnit.SECONDS).values()) {
        now += d.partitions().stream().mapToLong(p -> p.replicas().size()).sum();
      }
    }
    long added =
        topics.stream()
            .filter(t -> !t.existsOnTarget())
            .mapToLong(t -> (long) t.partitions() * replicationFactor)
            .sum();
    long messageMax = -1; // unknown until a broker says
    if (!nodes.isEmpty()) {
      ConfigResource broker =
          new ConfigResource(
              ConfigResource.Type.BROKER, String.valueOf(nodes.iterator().next().id()));
      ConfigEntry e =
          into.describeConfigs(List.of(broker))
              .all()
              .get(WAIT, TimeUnit.SECONDS)
              .get(broker)
              .get("message.max.bytes");
      messageMax = e == null || e.value() == null ? -1 : Long.parseLong(e.value());
    }
    var limit = to.msk() == null ? null : to.msk().partitionLimit().orElse(null);
    return new MigrationPlan.TargetCapacity(
        brokers,
        to.msk() == null ? "" : to.msk().brokerType(),
        messageMax,
        now,
        replicationFactor,
        added,
        limit == null ? 0 : limit.recommended(),
        limit == null ? 0 : limit.updatable());
  }
}
