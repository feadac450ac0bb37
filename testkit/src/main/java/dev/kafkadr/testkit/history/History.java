package dev.kafkadr.testkit.history;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Jepsen-style history of one test run: every record each producer sent with its outcome
 * (acknowledged, failed, unknown) and time, and every record each reader saw with its time and
 * place. Verdicts ({@link #verdict}) and the truth at any instant ({@link #truth}) are drawn from
 * it afterwards, by code that trusts nothing kafka-dr reports.
 *
 * <p>Records carry their identity in their value, {@code <run>/<producer>/<seq>} (padded to a
 * requested size), so records of another run read by mistake are counted as such, never as this
 * run's. A record's key is {@code k<seq % keys>}: order is checked per producer and key.
 */
public final class History {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String run;
  private final byte[] prefix;
  private final List<String> topics = new CopyOnWriteArrayList<>();
  private final List<String> clusters = new CopyOnWriteArrayList<>();
  private final Map<Integer, ProducerLog> producers = new ConcurrentHashMap<>();
  private final Map<String, ReadLog> readers = new ConcurrentHashMap<>();

  private History(String run) {
    this.run = run;
    this.prefix = (run + "/").getBytes(StandardCharsets.UTF_8);
  }

  /** A new history with a random run id. */
  public static History create() {
    return new History(Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
  }

  /** This run's id, the first part of every value it produces. */
  public String run() {
    return run;
  }

  /** A record's id: its producer and sequence number in one long. */
  public static long id(int producer, int seq) {
    return ((long) producer << 40) | seq;
  }

  /** The producer of record {@code id}. */
  public static int producerOf(long id) {
    return (int) (id >>> 40);
  }

  /** The sequence number of record {@code id}. */
  public static int seqOf(long id) {
    return (int) (id & ((1L << 40) - 1));
  }

  /** A record id for people: {@code <producer>/<seq>}. */
  public static String describe(long id) {
    return producerOf(id) + "/" + seqOf(id);
  }

  /**
   * The log of producer {@code index}, created on first use with {@code keys} keys.
   *
   * @throws IllegalArgumentException when it exists with another number of keys
   */
  public ProducerLog producer(int index, int keys) {
    ProducerLog log = producers.computeIfAbsent(index, i -> new ProducerLog(i, keys));
    if (log.keys() != keys) {
      throw new IllegalArgumentException(
          "producer " + index + " has " + log.keys() + " keys, not " + keys);
    }
    return log;
  }

  /** Every producer's log, by index. */
  public List<ProducerLog> producers() {
    List<ProducerLog> out = new ArrayList<>(producers.values());
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return out;
  }

  /** The log of the reader named {@code name}, created on first use. */
  public ReadLog reader(String name) {
    return readers.computeIfAbsent(name, ReadLog::new);
  }

  /** The index of {@code topic} in this history's table of topics. */
  public synchronized int topic(String topic) {
    int i = topics.indexOf(topic);
    if (i < 0) {
      topics.add(topic);
      i = topics.size() - 1;
    }
    return i;
  }

  /** The topic at {@code index}. */
  public String topicName(int index) {
    return topics.get(index);
  }

  /** The index of cluster {@code alias} in this history's table of clusters. */
  public synchronized int cluster(String alias) {
    int i = clusters.indexOf(alias);
    if (i < 0) {
      clusters.add(alias);
      i = clusters.size() - 1;
    }
    return i;
  }

  /** The cluster at {@code index}. */
  public String clusterName(int index) {
    return clusters.get(index);
  }

  /** The value of record {@code seq} of {@code producer}, padded to at least {@code size} bytes. */
  public byte[] value(int producer, int seq, int size) {
    String v = run + "/" + producer + "/" + seq;
    if (v.length() + 1 < size) {
      v = v + "/" + "x".repeat(size - v.length() - 1);
    }
    return v.getBytes(StandardCharsets.UTF_8);
  }

  /** The key of record {@code seq} of a producer with {@code keys} keys. */
  public static byte[] key(int seq, int keys) {
    return ("k" + (seq % keys)).getBytes(StandardCharsets.UTF_8);
  }

  /** The id of the record whose value is {@code value}, or -1 when it is not one of this run's. */
  public long parse(byte[] value) {
    if (value == null || value.length <= prefix.length) {
      return -1;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (value[i] != prefix[i]) {
        return -1;
      }
    }
    long producer = 0;
    int i = prefix.length;
    int digits = 0;
    for (; i < value.length && value[i] != '/'; i++, digits++) {
      if (value[i] < '0' || value[i] > '9' || digits > 5) {
        return -1;
      }
      producer = producer * 10 + (value[i] - '0');
    }
    if (digits == 0 || i == value.length) {
      return -1;
    }
    long seq = 0;
    digits = 0;
    for (i++; i < value.length && value[i] != '/'; i++, digits++) {
      if (value[i] < '0' || value[i] > '9' || digits > 12) {
        return -1;
      }
      seq = seq * 10 + (value[i] - '0');
    }
    return digits == 0 ? -1 : id((int) producer, (int) seq);
  }

  /** What reader {@code name} saw against what the producers were told: lost, read twice, ... */
  public Verdict verdict(String name) {
    return Verdict.of(this, reader(name));
  }

  /**
   * Records of this run that reader {@code having} saw and reader {@code lacking} never did, by the
   * outcome their producer was told: e.g. what a restarted old primary holds that never reached the
   * copy, acknowledged or not.
   *
   * @param acknowledged of them, acknowledged to their producer
   * @param unknown of them, with an unknown outcome (written all the same)
   * @param failed of them, reported failed to their producer (none should be anywhere)
   */
  public record Difference(long acknowledged, long unknown, long failed) {
    /** All of them. */
    public long total() {
      return acknowledged + unknown + failed;
    }
  }

  /**
   * How long each record acknowledged between {@code fromMicros} and {@code toMicros} (producer's
   * clock, {@link Micros}) took from its acknowledgement to its first read by reader {@code name}:
   * replication latency as a reader of the copy sees it, in microseconds, sorted ascending. Records
   * the reader never read are left out (the verdict counts them).
   */
  public long[] latencies(String name, long fromMicros, long toMicros) {
    ReadLog r = reader(name);
    java.util.Set<Long> first = new java.util.HashSet<>();
    long[] out = new long[r.count()];
    int n = 0;
    for (int i = 0; i < r.count(); i++) {
      long id = r.id(i);
      ProducerLog p = producers.get(producerOf(id));
      int seq = seqOf(id);
      if (p == null || seq >= p.count() || !first.add(id) || p.outcome(seq) != Outcome.ACKED) {
        continue;
      }
      long acked = p.doneAt(seq);
      if (acked >= fromMicros && acked < toMicros) {
        out[n++] = Math.max(0, r.seenAt(i) - acked);
      }
    }
    long[] sorted = java.util.Arrays.copyOf(out, n);
    java.util.Arrays.sort(sorted);
    return sorted;
  }

  /**
   * Per partition of the copy ({@code topic-partition}), the lowest source offset (from the
   * provenance header) among the records reader {@code name} read more than once: where re-copying
   * started. A replication that resumes after its last committed source offset never duplicates at
   * or below it. Partitions without a duplicate are absent.
   */
  public Map<String, Long> lowestReadTwice(String name) {
    ReadLog r = reader(name);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    Map<String, Long> lowest = new java.util.TreeMap<>();
    for (int i = 0; i < r.count(); i++) {
      if (!seen.add(r.id(i)) && r.sourceOffset(i) >= 0) {
        long place = r.where(i);
        String tp = topicName(Places.topic(place)) + "-" + Places.partition(place);
        lowest.merge(tp, r.sourceOffset(i), Math::min);
      }
    }
    return lowest;
  }

  /**
   * Per partition of the copy ({@code topic-partition}) whose copy went back, its first rewind: the
   * highest source offset (provenance header) reader {@code name} read before the first record
   * whose source offset was not above it, and that record's source offset. A source task killed
   * past its committed offsets shows here: its successor resumes at the committed offset + 1, below
   * what the killed task had copied. Partitions that never went back are absent.
   *
   * @param copiedUpTo the highest source offset copied before the rewind
   * @param resumedAt the source offset the copy went back to
   */
  public record Rewind(long copiedUpTo, long resumedAt) {}

  /** The first {@link Rewind} of each copy partition reader {@code name} read. */
  public Map<String, Rewind> firstRewinds(String name) {
    ReadLog r = reader(name);
    Map<Long, Long> highest = new java.util.HashMap<>();
    Map<String, Rewind> first = new java.util.TreeMap<>();
    for (int i = 0; i < r.count(); i++) {
      long source = r.sourceOffset(i);
      if (source < 0) {
        continue;
      }
      long place = r.where(i);
      Long before = highest.get(place);
      if (before != null && source <= before) {
        String tp = topicName(Places.topic(place)) + "-" + Places.partition(place);
        first.putIfAbsent(tp, new Rewind(before, source));
      } else {
        highest.put(place, source);
      }
    }
    return first;
  }

  /** Records {@code having} read that {@code lacking} never read ({@link Difference}). */
  public Difference onlyIn(String having, String lacking) {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    ReadLog l = reader(lacking);
    for (int i = 0; i < l.count(); i++) {
      seen.add(l.id(i));
    }
    java.util.Set<Long> only = new java.util.HashSet<>();
    ReadLog h = reader(having);
    for (int i = 0; i < h.count(); i++) {
      if (!seen.contains(h.id(i))) {
        only.add(h.id(i));
      }
    }
    long acked = 0;
    long unknown = 0;
    long failed = 0;
    for (long id : only) {
      ProducerLog p = producers.get(producerOf(id));
      Outcome o = p == null || seqOf(id) >= p.count() ? Outcome.FAILED : p.outcome(seqOf(id));
      switch (o) {
        case ACKED -> acked++;
        case FAILED -> failed++;
        default -> unknown++;
      }
    }
    return new Difference(acked, unknown, failed);
  }

  /**
   * Records reader {@code name} read as copies (a provenance header names their source offset)
   * whose producer was told they failed: aborted records a replication copied. Must be 0.
   */
  public long failedCopies(String name) {
    ReadLog r = reader(name);
    long out = 0;
    for (int i = 0; i < r.count(); i++) {
      if (r.sourceOffset(i) >= 0) {
        long id = r.id(i);
        ProducerLog p = producers.get(producerOf(id));
        if (p != null && seqOf(id) < p.count() && p.outcome(seqOf(id)) == Outcome.FAILED) {
          out++;
        }
      }
    }
    return out;
  }

  /**
   * The time producers could not write while their tenant moved from cluster {@code from} to {@code
   * to}, as they saw it: from the last acknowledgement {@code from} gave before the first one
   * {@code to} gave, to that first one (microseconds since the epoch, {@link Micros}).
   *
   * @param lastOnFrom when {@code from} last acknowledged a record, before the move
   * @param firstOnTo when {@code to} first acknowledged one
   */
  public record Outage(long lastOnFrom, long firstOnTo) {
    /** Its length in milliseconds. */
    public long millis() {
      return (firstOnTo - lastOnFrom) / 1000;
    }
  }

  /**
   * The {@link Outage} of a move from {@code from} to {@code to}, across every producer.
   *
   * @throws IllegalStateException when either cluster acknowledged nothing
   */
  public Outage outage(String from, String to) {
    int f = cluster(from);
    int t = cluster(to);
    long first = Long.MAX_VALUE;
    for (ProducerLog p : producers()) {
      for (int seq = 0; seq < p.count(); seq++) {
        if (p.outcome(seq) == Outcome.ACKED && Places.cluster(p.where(seq)) == t) {
          first = Math.min(first, p.doneAt(seq));
        }
      }
    }
    long last = Long.MIN_VALUE;
    for (ProducerLog p : producers()) {
      for (int seq = 0; seq < p.count(); seq++) {
        long at = p.doneAt(seq);
        if (p.outcome(seq) == Outcome.ACKED && Places.cluster(p.where(seq)) == f && at < first) {
          last = Math.max(last, at);
        }
      }
    }
    if (first == Long.MAX_VALUE || last == Long.MIN_VALUE) {
      throw new IllegalStateException(
          "no acknowledgement from " + (last == Long.MIN_VALUE ? from : to) + " in this history");
    }
    return new Outage(last, first);
  }

  /**
   * The truth about a copy tailed by reader {@code name} (a {@link CopyReader}): how many
   * acknowledged records were not on the copy at any instant, at least.
   */
  public Truth truth(String name) {
    return new Truth(this, reader(name));
  }
}
