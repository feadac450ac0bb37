package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.controller.lag.CopyIncarnations;
import dev.kafkadr.tenant.Provenance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Translates a committed source offset to the copy exactly, through the provenance header each copy
 * carries: the group resumes on the copy at the first record whose source offset is at or after the
 * committed one (or at the copy's end when there is none), so it reads nothing twice and skips
 * nothing. MM2's checkpoints can only promise a position at or before that, because offset syncs
 * are sparse. A binary search over the copy: about log2(records) single-record reads per partition.
 *
 * <p>Where records without this source's provenance lie just before that position (copied by stock
 * MM2 before kafka-dr, or produced on the target while it was the primary), they may be copies of
 * records the group has not read yet: the group then resumes before them, at MM2's checkpoint when
 * it falls among them, and may read up to that many records again. It never skips one.
 */
final class ExactTranslator implements AutoCloseable {

  private static final Duration READ_DEADLINE = Duration.ofSeconds(15);

  private final String sourceAlias;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private int reads;

  /** Reads copies on {@code target} that came from {@code sourceAlias}. */
  ExactTranslator(ClusterSpec target, String sourceAlias) {
    this.sourceAlias = sourceAlias;
    Map<String, Object> config =
        ClusterClients.readerConfig(target, "kdr-controller-translator-" + target.alias());
    config.put("max.poll.records", 1);
    config.put("fetch.max.wait.ms", 50);
    // A probe of the binary search looks at one record, and its seek drops what the fetch brought:
    // fetch little (the broker still returns at least one whole batch), not the default 1 MiB.
    config.put("max.partition.fetch.bytes", 16 * 1024);
    config.put("fetch.max.bytes", 16 * 1024);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Where a group resumes on the copy.
   *
   * @param offset the copy offset to resume from
   * @param mayReadAgain records from {@code offset} on that may be copies of records the group
   *     already read: 0 when the translation is exact
   * @param checkpointUsed whether MM2's checkpoint narrowed an inexact translation
   */
  record Translation(long offset, long mayReadAgain, boolean checkpointUsed) {}

  /**
   * The copy offset where a group committed at {@code sourceOffset} resumes.
   *
   * @param start the copy's first offset
   * @param end the copy's end offset
   * @param checkpoint the copy offset MM2's newest checkpoint of the group gives, or -1: asked only
   *     where provenance cannot tell, and used only within the range the provenance allows
   * @param fromSource the copy offset the source's records around the position name (copies of the
   *     target's own records, after a round trip), or -1: asked before the checkpoint
   */
  Translation translate(
      TopicPartition copy,
      long sourceOffset,
      long start,
      long end,
      java.util.function.LongSupplier checkpoint,
      java.util.function.LongSupplier fromSource) {
    // lo only ever moves past a record copied from before sourceOffset, so the group's exact
    // position is never before lo.
    long[] range = {start, end}; // lo, hi
    // First the copy's start (a range from the log start ends here), then where the position would
    // be if every source offset since had exactly one copy (usually it is, or close): each probe
    // narrows [lo, hi) by the same rule as the binary search's, which finishes the job.
    Optional<long[]> head = probe(copy, sourceOffset, range[0], range, end);
    if (head.isPresent() && head.get()[1] < sourceOffset) {
      long guess = head.get()[0] + (sourceOffset - head.get()[1]);
      probe(copy, sourceOffset, guess, range, end);
      probe(copy, sourceOffset, guess - 1, range, end);
    }
    while (range[0] < range[1]) {
      probe(copy, sourceOffset, range[0] + (range[1] - range[0]) / 2, range, end);
    }
    long lo = range[0];
    Optional<long[]> next = firstFromSource(copy, lo, end);
    long first = next.filter(r -> r[1] >= sourceOffset).map(r -> r[0]).orElse(end);
    // Records without this source's provenance the read passed over on its way to first; a copy
    // compacted (or with aborted transactions) has offsets that hold nothing, and those are no
    // one's.
    long between = next.filter(r -> r[1] >= sourceOffset).map(r -> r[2]).orElse(first - lo);
    if (first == lo || between == 0) {
      return new Translation(lo, 0, false);
    }
    // The source's own records may say it: copies of the target's records carry their offsets.
    long told = fromSource.getAsLong();
    if (told >= lo && told <= first) {
      return new Translation(told, 0, false);
    }
    // [lo, first) holds only records without this source's provenance: the exact position is
    // somewhere in it. A checkpoint inside it is closer than lo and still not past the position.
    long cp = checkpoint.getAsLong();
    boolean useCheckpoint = cp > lo && cp <= first;
    long resume = useCheckpoint ? cp : lo;
    return new Translation(resume, Math.min(first - resume, between), useCheckpoint);
  }

  /**
   * The copy offset where a group committed at {@code sourceOffset} resumes, on a copy whose runs
   * the lag scans found ({@link CopyIncarnations}): only the source topic's current incarnation
   * counts, from its first copy on, and where the same source offsets were copied more than once
   * the group resumes in the newest run that holds its position. Exact when that run is the newest
   * one; otherwise {@code mayReadAgain} counts the records of that run from the position on that a
   * newer run copies again, and, in the newest run, the records the group read that it has not
   * copied again yet.
   *
   * @param runs the runs the scans found, oldest first; empty for a copy copied once, in order
   */
  Translation translate(
      TopicPartition copy,
      long sourceOffset,
      long start,
      long end,
      List<CopyIncarnations.Segment> runs,
      java.util.function.LongSupplier checkpoint,
      java.util.function.LongSupplier fromSource) {
    List<long[]> bounds = runBounds(start, end, runs); // {from, to, first source offset}
    if (bounds.size() == 1) {
      return translate(copy, sourceOffset, bounds.get(0)[0], end, checkpoint, fromSource);
    }
    int run = -1;
    for (int i = 0; i < bounds.size(); i++) {
      if (bounds.get(i)[2] <= sourceOffset) {
        run = i;
      }
    }
    if (run < 0) {
      // The incarnation's copies begin past the position: what lies between was never copied.
      return new Translation(bounds.get(0)[0], 0, false);
    }
    long[] b = bounds.get(run);
    Translation t = translate(copy, sourceOffset, b[0], b[1], checkpoint, fromSource);
    if (run + 1 < bounds.size()) {
      long[] next = bounds.get(run + 1);
      long copiedAgain = translate(copy, next[2], b[0], b[1], () -> -1, () -> -1).offset();
      long again = b[1] - Math.max(copiedAgain, t.offset());
      return new Translation(t.offset(), t.mayReadAgain() + Math.max(0, again), false);
    }
    if (run > 0 && t.offset() >= b[1]) {
      // The newest run has not copied the position again yet: the group will read what it
      // already read once more as that run goes on.
      long last = lastFromSource(copy, b[0], b[1]);
      long again = last < 0 ? sourceOffset - b[2] : sourceOffset - 1 - last;
      return new Translation(t.offset(), t.mayReadAgain() + Math.max(0, again), t.checkpointUsed());
    }
    return t;
  }

  /**
   * The copy's runs of the current incarnation as {from, to, first source offset} (-1 where the run
   * began before the controller watched): from the last incarnation change on, or from the copy's
   * start when there was none.
   */
  static List<long[]> runBounds(long start, long end, List<CopyIncarnations.Segment> runs) {
    int current = -1;
    for (int i = 0; i < runs.size(); i++) {
      if ("incarnation".equals(runs.get(i).kind())) {
        current = i;
      }
    }
    List<long[]> starts = new java.util.ArrayList<>();
    if (current < 0) {
      starts.add(new long[] {start, -1});
    }
    for (int i = Math.max(0, current); i < runs.size(); i++) {
      starts.add(
          new long[] {Math.max(start, runs.get(i).copyOffset()), runs.get(i).firstSourceOffset()});
    }
    List<long[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      long to = i + 1 < starts.size() ? starts.get(i + 1)[0] : end;
      out.add(
          new long[] {
            starts.get(i)[0], Math.min(Math.max(to, starts.get(i)[0]), end), starts.get(i)[1]
          });
    }
    return out;
  }

  /** The source offset of the newest record in [from, end) copied from the source, or -1. */
  private long lastFromSource(TopicPartition copy, long from, long end) {
    long last = -1;
    long at = Math.max(from, end - 50);
    while (at < end) {
      Optional<long[]> r = firstFromSource(copy, at, end);
      if (r.isEmpty()) {
        break;
      }
      last = r.get()[1];
      at = r.get()[0] + 1;
    }
    return last;
  }

  /** Single-record reads made so far. */
  int reads() {
    return reads;
  }

  /**
   * The first record at or after {@code from} copied from the source: {copy offset, source offset,
   * records without that provenance read before it}.
   */
  /**
   * One probe of the search for the first copy of {@code sourceOffset} or later, at {@code mid}
   * when it lies in [lo, hi) ({@code range}): the first copy from this source at or after {@code
   * mid} is of {@code sourceOffset} or later (or there is none), so the position is not after
   * {@code mid}; or it is of an earlier offset, so the position is after that copy.
   */
  private Optional<long[]> probe(
      TopicPartition copy, long sourceOffset, long mid, long[] range, long end) {
    if (mid < range[0] || mid >= range[1]) {
      return Optional.empty();
    }
    Optional<long[]> found = firstFromSource(copy, mid, end);
    if (found.isEmpty() || found.get()[1] >= sourceOffset) {
      range[1] = mid;
    } else {
      range[0] = found.get()[0] + 1;
    }
    return found;
  }

  private Optional<long[]> firstFromSource(TopicPartition copy, long from, long end) {
    if (from >= end) {
      return Optional.empty();
    }
    consumer.assign(List.of(copy));
    consumer.seek(copy, from);
    long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
    long others = 0;
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        reads++;
        if (r.offset() >= end) {
          return Optional.empty();
        }
        Optional<Long> origin = origin(r);
        if (origin.isPresent()) {
          return Optional.of(new long[] {r.offset(), origin.get(), others});
        }
        others++;
      }
      if (consumer.position(copy) >= end) {
        return Optional.empty();
      }
    }
    throw new IllegalStateException(
        "copy " + copy + " could not be read from offset " + from + " within " + READ_DEADLINE);
  }

  private Optional<Long> origin(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    return Provenance.copiedFrom(h == null ? null : h.value(), sourceAlias);
  }

  @Override
  public void close() {
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
