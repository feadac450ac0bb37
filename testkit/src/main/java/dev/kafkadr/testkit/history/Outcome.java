package dev.kafkadr.testkit.history;

/** What a producer was told about one record it sent. */
public enum Outcome {
  /** Sent, no answer yet. */
  PENDING,
  /** Acknowledged by the cluster (acks=all): it must be read. */
  ACKED,
  /** Refused in a way that proves it was never written (authorization, too large, bad topic). */
  FAILED,
  /**
   * No answer that tells (a timeout, a lost connection, the producer closed): it may be written.
   */
  UNKNOWN
}
