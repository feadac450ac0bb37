package dev.kafkadr.config;

import java.util.Locale;

/**
 * What a tenant's copies promise a {@code read_committed} consumer of the target: every source
 * record at least once (Connect's default: a worker that dies between writing records and
 * committing its source offsets makes the next task write them again), or exactly once (KIP-618:
 * the records and their source offsets are committed in one Kafka transaction).
 */
public enum Delivery {
  /** Copies may repeat records after a worker failure; none are lost. */
  AT_LEAST_ONCE,
  /** Copies hold each committed source record once, in order per partition. */
  EXACTLY_ONCE;

  /** The name used in the tenants file and the API, e.g. {@code exactly-once}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The delivery called {@code name} in the tenants file; null when there is none. */
  static Delivery of(String name) {
    for (Delivery d : values()) {
      if (d.configName().equals(name)) {
        return d;
      }
    }
    return null;
  }
}
