package dev.kafkadr.config.apply;

import java.util.Map;

/**
 * What a plan does to one connector.
 *
 * @param name connector name
 * @param action create, update, delete, kept or unchanged
 * @param keys for an update, each changed key with its old and new value (null where absent)
 * @param desired the configuration to apply (null for a delete)
 */
public record ConnectorChange(
    String name, Action action, Map<String, KeyChange> keys, Map<String, String> desired) {

  /** What happens to the connector. */
  public enum Action {
    /** It does not exist yet. */
    CREATE,
    /** Its configuration differs. */
    UPDATE,
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
