package dev.kafkadr.controller.failover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * One replica's newest reachability probes of every cluster, as it writes them to the state store
 * ({@code observations/<replica>}): the vantage point's own view, which the leader weighs before an
 * automatic failover.
 *
 * @param replica the replica's id ({@code kdr.store.etcd.replica-id})
 * @param region the region it runs in ({@code kdr.region}), or null when not configured (then it is
 *     no independent witness of any cluster's loss)
 * @param at when the probes of this round ended (Unix milliseconds)
 * @param intervalMillis the replica's time between two rounds
 * @param clusters per cluster alias, what the probe found
 */
public record Observation(
    String replica, String region, long at, long intervalMillis, Map<String, Probe> clusters) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One cluster as a probe found it: one metadata request ({@code DescribeCluster}) with the probe
   * timeout.
   *
   * @param reachable whether a broker answered
   * @param since since when the cluster has been in this state, as this replica saw it (Unix
   *     milliseconds: the first probe of the streak)
   * @param error why it was unreachable (the client's message), or null
   */
  public record Probe(boolean reachable, long since, String error) {}

  /** The document's JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a document written by {@link #toJson}.
   *
   * @throws IllegalArgumentException when it is not one (named in the message)
   */
  public static Observation parse(String json) {
    try {
      return JSON.readValue(json, Observation.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an observation: " + e.getOriginalMessage(), e);
    }
  }
}
