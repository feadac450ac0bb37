package dev.kafkadr.controller.lag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kafkadr.controller.store.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leader's scans in the shared store, so every replica serves the same figures: after each scan
 * the leader writes one document per tenant ({@code scans/<tenant>}: the replica, when the scan
 * started, how long it took, the tenant's flows with every partition and group), each a write
 * conditioned on its fencing token; a follower reads them back as one {@link Scan} labelled with
 * the leader's id. One document per tenant keeps each write far below etcd's request limit (1.5
 * MiB) whatever the number of tenants.
 */
public final class SharedScans {

  static final String PREFIX = "scans";

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private final StateStore store;
  private final Map<String, Long> versions = new HashMap<>();

  /** Scans shared through {@code store}. */
  public SharedScans(StateStore store) {
    this.store = store;
  }

  /**
   * One tenant's part of a scan as stored.
   *
   * @param replica who scanned
   * @param at when the scan started
   * @param took how long it took
   * @param flows the tenant's flows
   */
  record Part(String replica, Instant at, Duration took, List<FlowLag> flows) {}

  /**
   * Writes {@code scan}'s figures, tenant by tenant, as this replica's (the leader's).
   *
   * @throws StateStore.StaleWrite when this replica no longer leads
   * @throws dev.kafkadr.controller.store.StoreException when the store does not answer
   */
  public synchronized void publish(Scan scan) {
    Map<String, List<FlowLag>> byTenant = new java.util.LinkedHashMap<>();
    scan.flows().forEach(f -> byTenant.computeIfAbsent(f.tenant(), t -> new ArrayList<>()).add(f));
    for (var e : byTenant.entrySet()) {
      String key = PREFIX + "/" + e.getKey();
      String value = write(new Part(scan.replica(), scan.at(), scan.took(), e.getValue()));
      Long version = versions.get(key);
      if (version == null) {
        version = store.get(key).map(StateStore.Doc::version).orElse(0L);
      }
      try {
        versions.put(key, store.put(key, value, version));
      } catch (StateStore.StaleWrite stale) {
        versions.remove(key); // read again next time (another leader wrote meanwhile)
        throw stale;
      }
    }
  }

  /**
   * The newest scan the leader shared, its flows in {@code order}'s tenant order; empty when none
   * was shared or its oldest part started more than {@code staleAfter} before {@code now} (then a
   * follower serves its own).
   *
   * @throws dev.kafkadr.controller.store.StoreException when the store does not answer
   */
  public Optional<Scan> leaders(List<String> order, Duration staleAfter, Instant now) {
    Map<String, StateStore.Doc> docs = store.list(PREFIX);
    List<FlowLag> flows = new ArrayList<>();
    Instant oldest = null;
    Duration took = Duration.ZERO;
    String replica = null;
    for (String tenant : order) {
      StateStore.Doc d = docs.get(tenant);
      if (d == null) {
        continue;
      }
      Part p = read(d.value());
      if (oldest == null || p.at().isBefore(oldest)) {
        oldest = p.at();
        took = p.took();
        replica = p.replica();
      }
      flows.addAll(p.flows());
    }
    if (oldest == null || Duration.between(oldest, now).compareTo(staleAfter) > 0) {
      return Optional.empty();
    }
    return Optional.of(new Scan(oldest, took, flows, 0, replica));
  }

  static String write(Part part) {
    try {
      return JSON.writeValueAsString(part);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a scan cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  static Part read(String json) {
    try {
      return JSON.readValue(json, Part.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a shared scan cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
