package dev.kafkadr.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each replicated topic on the target at least as durable as its source, and able to take
 * every record the source takes: raises {@code min.insync.replicas} and turns off {@code
 * unclean.leader.election.enable} where the source is stricter, raises {@code max.message.bytes} to
 * the source's plus room for the provenance header, and never lowers any (see {@link
 * DurabilityPlan}).
 *
 * <p>MirrorMaker 2's config sync cannot do this: its {@code ConfigPropertyFilter} sees property
 * names, never values, so replicating these settings through it would copy a weaker explicit value
 * from the source over a stricter target (an MSK cluster's min.insync.replicas=2, say). The tenant
 * source connector therefore leaves them out of MM2's copy and runs this guard on MM2's config-sync
 * interval, for the topics its own filter and policy select.
 */
final class DurabilityGuard implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DurabilityGuard.class);

  private final Admin source;
  private final Admin target;
  private final String sourceAlias;
  private final TenantTopicFilter filter = new TenantTopicFilter();
  private final TenantReplicationPolicy policy = new TenantReplicationPolicy();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kdr-durability-guard");
            t.setDaemon(true);
            return t;
          });

  DurabilityGuard(Map<String, String> props) {
    this.source = Admin.create(clientConfig(props, "source.cluster."));
    this.target = Admin.create(clientConfig(props, "target.cluster."));
    this.sourceAlias = props.get("source.cluster.alias");
    filter.configure(props);
    policy.configure(props);
  }

  /** How often the target's topics are listed for copies the guard has not seen yet. */
  static final Duration NEW_COPIES = Duration.ofSeconds(2);

  private Set<String> seen = Set.of();
  private long lastFull;

  /**
   * Runs a pass now and then every {@code interval}, and one as soon as a copy appears that the
   * last pass did not see (MirrorMaker 2 creates a copy with the target's defaults and starts
   * copying into it; its {@code max.message.bytes} must be raised before the largest records come).
   */
  DurabilityGuard start(Duration interval) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            boolean due = System.nanoTime() - lastFull >= interval.toNanos();
            if (due || !seen.containsAll(target.listTopics().names().get())) {
              safePass();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            LOG.warn("durability guard {}: cannot list copies: {}", sourceAlias, e.toString());
          }
        },
        0,
        NEW_COPIES.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  private void safePass() {
    try {
      pass();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("durability guard {}: pass failed, will retry: {}", sourceAlias, e.toString());
    }
  }

  /** One pass over every replicated topic whose copy exists on the target. */
  void pass() throws Exception {
    lastFull = System.nanoTime();
    Set<String> targetTopics = target.listTopics().names().get();
    seen = Set.copyOf(targetTopics);
    Map<String, String> remoteBySource = new HashMap<>();
    for (String topic : source.listTopics().names().get()) {
      String remote = policy.formatRemoteTopic(sourceAlias, topic);
      if (filter.shouldReplicateTopic(topic) && targetTopics.contains(remote)) {
        remoteBySource.put(topic, remote);
      }
    }
    if (remoteBySource.isEmpty()) {
      return;
    }
    Map<String, Config> sourceConfigs = configs(source, remoteBySource.keySet());
    Map<String, Config> targetConfigs = configs(target, remoteBySource.values());
    Map<String, TopicDescription> targetTopicsDescribed =
        target.describeTopics(remoteBySource.values()).allTopicNames().get();
    Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
    remoteBySource.forEach(
        (topic, remote) -> {
          int rf = targetTopicsDescribed.get(remote).partitions().get(0).replicas().size();
          Map<String, String> src = values(sourceConfigs.get(topic));
          Map<String, String> changes =
              DurabilityPlan.raises(src, values(targetConfigs.get(remote)), rf);
          if (DurabilityPlan.cappedByReplicationFactor(src, rf)) {
            LOG.warn(
                "durability guard: {} has min.insync.replicas {} but its copy {} has only {} replicas;"
                    + " the copy gets at most {}",
                topic,
                src.get(DurabilityPlan.MIN_ISR),
                remote,
                rf,
                rf);
          }
          if (!changes.isEmpty()) {
            LOG.info("durability guard: raising {} on {} to match {}", changes, remote, topic);
            List<AlterConfigOp> list = new ArrayList<>();
            changes.forEach(
                (k, v) ->
                    list.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, remote), list);
          }
        });
    if (!ops.isEmpty()) {
      target.incrementalAlterConfigs(ops).all().get();
    }
  }

  private static Map<String, Config> configs(Admin admin, Collection<String> topics)
      throws Exception {
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<String, Config> out = new HashMap<>();
    admin.describeConfigs(resources).all().get().forEach((r, c) -> out.put(r.name(), c));
    return out;
  }

  private static Map<String, String> values(Config config) {
    Map<String, String> out = new HashMap<>();
    for (String name :
        List.of(DurabilityPlan.MIN_ISR, DurabilityPlan.UNCLEAN, DurabilityPlan.MAX_MESSAGE_BYTES)) {
      ConfigEntry entry = config.get(name);
      if (entry != null && entry.value() != null) {
        out.put(name, entry.value());
      }
    }
    return out;
  }

  /** Admin client settings for one side: MM2's {@code <side>.cluster.*} keys, prefix removed. */
  static Map<String, Object> clientConfig(Map<String, String> props, String prefix) {
    Map<String, Object> out = new HashMap<>();
    props.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && !k.equals(prefix + "alias")) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    out.put("client.id", "kdr-durability-guard-" + prefix.substring(0, prefix.indexOf('.')));
    return out;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    source.close(Duration.ofSeconds(5));
    target.close(Duration.ofSeconds(5));
  }
}
