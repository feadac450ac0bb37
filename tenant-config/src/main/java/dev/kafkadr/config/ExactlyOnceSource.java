package dev.kafkadr.config;

import java.util.Locale;

/**
 * The value of a Connect worker's {@code exactly.once.source.support} (KIP-618), the same on every
 * worker of a Connect cluster. A running cluster reaches {@link #ENABLED} in two rolling restarts:
 * every worker to {@link #PREPARING} (workers fence earlier task generations and write their config
 * topic transactionally), then every worker to {@link #ENABLED} (source tasks write records and
 * offsets in transactions).
 */
public enum ExactlyOnceSource {
  /** Connect's default: source tasks write without transactions. */
  DISABLED,
  /** The first step of the rollout: no source task writes in transactions yet. */
  PREPARING,
  /** Source tasks write their records and offsets in transactions. */
  ENABLED;

  /** The worker property's value, e.g. {@code enabled}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value called {@code name}; null when there is none. */
  static ExactlyOnceSource of(String name) {
    for (ExactlyOnceSource e : values()) {
      if (e.configName().equals(name)) {
        return e;
      }
    }
    return null;
  }
}
