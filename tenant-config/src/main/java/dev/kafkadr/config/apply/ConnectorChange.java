package dev.kafkadr.config.apply;

import java.util.Map;

/**
 * What a plan does to one connector.
 *
 * @param name connector name
 * @param action create, update, move, delete, kept or unchanged
 * @param keys for an update or a move, each changed key with its old and new value (null where
 *     absent)
 * @param desired the configuration to apply (null for a delete)
 * @param cluster the Connect cluster it is on afterwards ({@code default} or a declared name); for
 *     a delete, the one it is deleted from
 * @param from for a move, the Connect cluster it leaves; null otherwise
 */
public record ConnectorChange(
    String name,
    Action action,
    Map<String, KeyChange> keys,
    Map<String, String> desired,
    String cluster,
    String from) {

  /** What happens to the connector. */
  public enum Action {
    /** It does not exist yet. */
    CREATE,
    /** Its configuration differs. */
    UPDATE,
    /**
     * It runs on another Connect cluster than the file says: stopped there, its source offsets
     * carried over to the new one (a source connector resumes where it was instead of copying its
     * topics again), then deleted there.
     */
    MOVE,
    /** It belongs to kafka-dr but no longer to the file. */
    DELETE,
    /**
     * Not in the file, but the reverse of a flow that is: a switchover, or a reconcile after a
     * failover, started it (the way back for a failback), so it is left as it is.
     */
    KEPT,
    /** Nothing to do. */
    UNCHANGED
  }

  /** One key's old and new value. */
  public record KeyChange(String before, String after) {}
}
