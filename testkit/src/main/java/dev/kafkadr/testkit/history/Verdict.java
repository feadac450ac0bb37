package dev.kafkadr.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one reader saw, judged against what the producers were told, at the end of a run.
 *
 * @param reader the reader
 * @param sent records sent by every producer
 * @param acknowledged records acknowledged
 * @param failed records refused in a way that proves they were never written
 * @param unknown records whose outcome is unknown (they may or may not be written)
 * @param distinctRead records of the run the reader saw at least once
 * @param lost acknowledged records the reader never saw
 * @param lostExamples the first 20 of them ({@code producer/seq})
 * @param readTwice reads of a record after its first (duplicates)
 * @param outOfOrder records first read after a later record of the same producer and key
 * @param outOfOrderExamples the first 20 of them
 * @param readButFailed records read whose producer was told they failed: never allowed
 * @param readButUnknown records read whose outcome was unknown: allowed (they were written)
 * @param unseen records sent but not acknowledged that the reader never saw (failed, or unknown and
 *     apparently never written): no fault, but a fault scenario states them
 * @param others values read that were not this run's records
 */
public record Verdict(
    String reader,
    long sent,
    long acknowledged,
    long failed,
    long unknown,
    long distinctRead,
    long lost,
    List<String> lostExamples,
    long readTwice,
    long outOfOrder,
    List<String> outOfOrderExamples,
    long readButFailed,
    long readButUnknown,
    long unseen,
    long others) {

  /** Nothing acknowledged lost, nothing failed read, nothing out of order. */
  public boolean safe() {
    return lost == 0 && readButFailed == 0 && outOfOrder == 0;
  }

  /**
   * Records read that their producer never saw acknowledged: those told they failed (never allowed)
   * and those whose outcome was unknown (allowed: they were written).
   */
  public long readButNeverAcknowledged() {
    return readButFailed + readButUnknown;
  }

  /** One line with every figure. */
  public String summary() {
    return String.format(
        "%s: %,d sent, %,d acknowledged, %,d failed, %,d unknown; %,d read, %,d lost%s, %,d read"
            + " twice, %,d out of order%s, %,d read but failed, %,d read with an unknown outcome,"
            + " %,d sent but neither acknowledged nor read, %,d of other runs",
        reader,
        sent,
        acknowledged,
        failed,
        unknown,
        distinctRead,
        lost,
        lostExamples.isEmpty() ? "" : " " + lostExamples,
        readTwice,
        outOfOrder,
        outOfOrderExamples.isEmpty() ? "" : " " + outOfOrderExamples,
        readButFailed,
        readButUnknown,
        unseen,
        others);
  }

  static Verdict of(History history, ReadLog reads) {
    List<ProducerLog> producers = history.producers();
    Reads r = Reads.tally(producers, reads);
    long sent = 0;
    long acked = 0;
    long failed = 0;
    long unknown = 0;
    long distinct = 0;
    long lost = 0;
    long readButFailed = r.neverSent;
    long readButUnknown = 0;
    long unseen = 0;
    List<String> lostExamples = new ArrayList<>();
    for (ProducerLog p : producers) {
      int[] counts = r.timesRead.get(p.index());
      for (int seq = 0; seq < counts.length; seq++) {
        sent++;
        boolean read = counts[seq] > 0;
        distinct += read ? 1 : 0;
        switch (p.outcome(seq)) {
          case ACKED -> {
            acked++;
            if (!read) {
              lost++;
              if (lostExamples.size() < 20) {
                lostExamples.add(History.describe(History.id(p.index(), seq)));
              }
            }
          }
          case FAILED -> {
            failed++;
            readButFailed += read ? 1 : 0;
            unseen += read ? 0 : 1;
          }
          default -> {
            unknown++;
            readButUnknown += read ? 1 : 0;
            unseen += read ? 0 : 1;
          }
        }
      }
    }
    return new Verdict(
        reads.name(),
        sent,
        acked,
        failed,
        unknown,
        distinct,
        lost,
        List.copyOf(lostExamples),
        r.readTwice,
        r.outOfOrder,
        List.copyOf(r.outOfOrderExamples),
        readButFailed,
        readButUnknown,
        unseen,
        reads.otherCount());
  }

  /** One pass over a reader's log: how often each record was read, repeats, order per key. */
  private static final class Reads {
    final Map<Integer, int[]> timesRead = new HashMap<>();
    final List<String> outOfOrderExamples = new ArrayList<>();
    long readTwice;
    long outOfOrder;
    long neverSent;

    static Reads tally(List<ProducerLog> producers, ReadLog log) {
      Reads r = new Reads();
      Map<Integer, long[]> highestPerKey = new HashMap<>();
      for (ProducerLog p : producers) {
        r.timesRead.put(p.index(), new int[p.count()]);
        long[] highest = new long[p.keys()];
        java.util.Arrays.fill(highest, -1);
        highestPerKey.put(p.index(), highest);
      }
      int n = log.count();
      for (int i = 0; i < n; i++) {
        long id = log.id(i);
        int producer = History.producerOf(id);
        int seq = History.seqOf(id);
        int[] counts = r.timesRead.get(producer);
        if (counts == null || seq >= counts.length) {
          r.neverSent++;
        } else if (counts[seq]++ > 0) {
          r.readTwice++;
        } else {
          r.order(highestPerKey.get(producer), id);
        }
      }
      return r;
    }

    /** A first read of a record older than one already read of its producer and key. */
    private void order(long[] highest, long id) {
      int seq = History.seqOf(id);
      int key = seq % highest.length;
      if (seq < highest[key]) {
        outOfOrder++;
        if (outOfOrderExamples.size() < 20) {
          outOfOrderExamples.add(
              History.describe(id)
                  + " after "
                  + History.producerOf(id)
                  + "/"
                  + highest[key]
                  + " (key k"
                  + key
                  + ")");
        }
      }
      highest[key] = Math.max(highest[key], seq);
    }
  }
}
