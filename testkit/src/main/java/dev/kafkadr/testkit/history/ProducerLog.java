package dev.kafkadr.testkit.history;

/**
 * Every record one producer of a history sent, by sequence number (0, 1, 2, ...): when it was sent,
 * when its outcome came and what it was, and where an acknowledged record was written (cluster,
 * topic, partition, offset). Thread-safe: the sending thread and the producer's callback thread
 * both write to it.
 */
public final class ProducerLog {

  private final int index;
  private final int keys;
  private final LongColumn sentAt = new LongColumn(-1);
  private final LongColumn doneAt = new LongColumn(-1);
  private final LongColumn outcome = new LongColumn(Outcome.PENDING.ordinal());
  private final LongColumn where = new LongColumn(-1);
  private final LongColumn offset = new LongColumn(-1);
  private int count;

  ProducerLog(int index, int keys) {
    this.index = index;
    this.keys = keys;
  }

  /** The producer's number in its history. */
  public int index() {
    return index;
  }

  /** How many keys it spreads its records over ({@code k0} .. {@code k<keys-1>}). */
  public int keys() {
    return keys;
  }

  /** Logs a send at {@code micros}; returns the record's sequence number. */
  public synchronized int sent(long micros) {
    int seq = count++;
    sentAt.set(seq, micros);
    return seq;
  }

  /** Logs record {@code seq}'s acknowledgement: written to {@code partition} at {@code offset}. */
  public synchronized void acked(
      int seq, long micros, int cluster, int topic, int partition, long offset) {
    doneAt.set(seq, micros);
    outcome.set(seq, Outcome.ACKED.ordinal());
    where.set(seq, Places.pack(cluster, topic, partition));
    this.offset.set(seq, offset);
  }

  /** Logs record {@code seq}'s failure: {@link Outcome#FAILED} or {@link Outcome#UNKNOWN}. */
  public synchronized void failed(int seq, long micros, Outcome how) {
    if (how != Outcome.FAILED && how != Outcome.UNKNOWN) {
      throw new IllegalArgumentException("a failure is FAILED or UNKNOWN, not " + how);
    }
    doneAt.set(seq, micros);
    outcome.set(seq, how.ordinal());
  }

  /** Marks every record still without an answer {@link Outcome#UNKNOWN} (the producer is gone). */
  public synchronized void pendingUnknown(long micros) {
    for (int seq = 0; seq < count; seq++) {
      if (outcome.get(seq) == Outcome.PENDING.ordinal()) {
        failed(seq, micros, Outcome.UNKNOWN);
      }
    }
  }

  /** Records sent so far. */
  public synchronized int count() {
    return count;
  }

  /** The outcome of record {@code seq}. */
  public synchronized Outcome outcome(int seq) {
    return Outcome.values()[(int) outcome.get(seq)];
  }

  /** When record {@code seq} was sent (microseconds since the epoch). */
  public synchronized long sentAt(int seq) {
    return sentAt.get(seq);
  }

  /** When its outcome came, or -1. */
  public synchronized long doneAt(int seq) {
    return doneAt.get(seq);
  }

  /** Where an acknowledged record was written ({@link Places}), or -1. */
  public synchronized long where(int seq) {
    return where.get(seq);
  }

  /** The offset an acknowledged record was written at, or -1. */
  public synchronized long offset(int seq) {
    return offset.get(seq);
  }
}
