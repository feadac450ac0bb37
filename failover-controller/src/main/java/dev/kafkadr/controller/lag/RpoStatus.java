package dev.kafkadr.controller.lag;

/** Where a tenant's data at risk stands against its RPO. */
public enum RpoStatus {
  /** Data at risk younger than the at-risk share of the RPO. */
  OK,
  /** Data at risk older than the at-risk share of the RPO, younger than the RPO. */
  AT_RISK,
  /** Data at risk older than the RPO, or records lost to a gap. */
  BREACH,
  /**
   * The lag could not be measured (a cluster unreachable, a copy with no record from its source).
   */
  UNKNOWN;

  /** The worse of two statuses: UNKNOWN, then BREACH, AT_RISK, OK. */
  public RpoStatus worse(RpoStatus other) {
    if (this == UNKNOWN || other == UNKNOWN) {
      return UNKNOWN;
    }
    return ordinal() >= other.ordinal() ? this : other;
  }
}
