package dev.kafkadr.config.apply;

import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.ConnectConfigs.TenantFlowConfigs;
import dev.kafkadr.config.Quotas;
import dev.kafkadr.config.TenantsFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The client quotas a tenants file asks for, set against those kafka-dr set earlier on each cluster
 * (client ids starting {@value Quotas#CLIENT_ID_PREFIX}): which to set and which to remove. A
 * tenant's quota is a producer byte rate on the target for its source connector's producer and a
 * consumer byte rate on the source for its replication consumer, on every flow that carries it.
 *
 * @param changes every quota to set or remove, by cluster alias and client id
 */
public record QuotaPlan(List<Change> changes) {

  /** Kafka's quota key for a producer's byte rate. */
  public static final String PRODUCER_RATE = "producer_byte_rate";

  /** Kafka's quota key for a consumer's byte rate. */
  public static final String CONSUMER_RATE = "consumer_byte_rate";

  /**
   * One quota value to set (desired not null) or remove (desired null).
   *
   * @param cluster cluster alias
   * @param clientId the client id the quota is on
   * @param key the quota key
   * @param current the value now, or null
   * @param desired the value wanted, or null to remove it
   */
  public record Change(
      String cluster, String clientId, String key, Double current, Double desired) {

    /** One line for people. */
    public String describe() {
      return (desired == null ? "- remove quota " : "~ set quota ")
          + key
          + " on "
          + cluster
          + " for "
          + clientId
          + ": "
          + show(current)
          + " -> "
          + show(desired);
    }

    private static String show(Double v) {
      return v == null ? "none" : Quotas.describe(v.longValue()) + "/s";
    }
  }

  /** Per cluster alias, per client id, per quota key: the values the file asks for. */
  public static Map<String, Map<String, Map<String, Double>>> desired(TenantsFile file) {
    Map<String, Map<String, Map<String, Double>>> out = new TreeMap<>();
    file.clusters().forEach(c -> out.put(c.alias(), new TreeMap<>()));
    for (TenantFlowConfigs flow : ConnectConfigs.flows(file)) {
      Long rate = file.quotas().get(flow.tenant());
      if (rate == null) {
        continue;
      }
      out.get(flow.target().alias())
          .put(Quotas.clientId(flow.name()), Map.of(PRODUCER_RATE, rate.doubleValue()));
      out.get(flow.source().alias())
          .put(
              Quotas.replicationConsumerId(
                  flow.name(),
                  flow.source().alias(),
                  flow.target().alias(),
                  flow.name() + ".source"),
              Map.of(CONSUMER_RATE, rate.doubleValue()));
    }
    return out;
  }

  /** What turns {@code current} (kafka-dr's quotas now, same shape) into {@code desired}. */
  public static QuotaPlan of(
      Map<String, Map<String, Map<String, Double>>> desired,
      Map<String, Map<String, Map<String, Double>>> current) {
    List<Change> changes = new ArrayList<>();
    for (String cluster : desired.keySet()) {
      Map<String, Map<String, Double>> want = desired.get(cluster);
      Map<String, Map<String, Double>> have = current.getOrDefault(cluster, Map.of());
      Map<String, Map<String, Double>> all = new TreeMap<>(have);
      want.forEach((id, q) -> all.putIfAbsent(id, Map.of()));
      for (String id : all.keySet()) {
        Map<String, Double> w = want.getOrDefault(id, Map.of());
        Map<String, Double> h = have.getOrDefault(id, Map.of());
        Map<String, Double> keys = new LinkedHashMap<>(h);
        keys.putAll(w);
        for (String key : new TreeMap<>(keys).keySet()) {
          if (!Objects.equals(w.get(key), h.get(key))) {
            changes.add(new Change(cluster, id, key, h.get(key), w.get(key)));
          }
        }
      }
    }
    return new QuotaPlan(List.copyOf(changes));
  }

  /** Whether nothing would change. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The changes, one per line, and a summary line; empty when nothing changes. */
  public String describe() {
    if (changes.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    changes.forEach(c -> out.append(c.describe()).append('\n'));
    long removes = changes.stream().filter(c -> c.desired() == null).count();
    out.append("quotas: ")
        .append(changes.size() - removes)
        .append(" to set, ")
        .append(removes)
        .append(" to remove\n");
    return out.toString();
  }
}
