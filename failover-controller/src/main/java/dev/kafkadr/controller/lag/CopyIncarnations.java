package dev.kafkadr.controller.lag;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kafkadr.config.FlowSpec;
import dev.kafkadr.controller.lag.measure.CopyPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Which incarnation of a source topic, and which run of copying, each copy partition holds.
 *
 * <p>A source topic deleted and created again starts its offsets over, and MirrorMaker 2 goes on
 * appending to the same copy: the copy then holds records of two incarnations whose offsets
 * overlap, and a copied record's provenance offset alone cannot say which one it came from. Neither
 * a consumer record nor a Connect source record carries the topic id, and looking the id up when a
 * record is copied races with the recreation itself. So the controller decides on the data: a copy
 * record belongs to the source's current incarnation exactly when the source holds, at the record's
 * provenance offset, a record with the same timestamp, key and value. The source topic's id is read
 * before the copy's position and again after the source's offsets: when the two differ, the topic
 * was recreated during the scan and its partitions are UNKNOWN for that scan; when they agree and
 * match the id under which the copy's newest record was last verified, the topic existed,
 * unchanged, over the whole scan and the copy's newest record is from it (copies are appended in
 * order, so no record of an earlier incarnation follows one of a later one). Otherwise the newest
 * record is verified by its contents: a match is the current incarnation; another record (or none,
 * the offset lying past the source's end) means nothing of the current incarnation is copied yet.
 * None of this depends on when the id was read relative to the copying.
 *
 * <p>Where a copy partition's records of the current incarnation begin is found once, by binary
 * search on that same test between the last record verified under the old id and the first verified
 * under the new one, and kept with the controller's workflows ({@code copy-segments.json}), so that
 * offset translation and reconcile read only the current incarnation's copies even with the source
 * gone. Source offsets of the current incarnation below its first copied record were skipped by
 * MirrorMaker 2 (it may resume past a recreated topic's first records): a gap. A copy whose newest
 * provenance offset went back under the same id is copying the source again (connector offsets
 * reset, a restore): where that run begins is found and kept the same way.
 */
public final class CopyIncarnations {

  /**
   * Where a run of copies begins in one copy partition: the current incarnation's first copy, or a
   * run copying the same incarnation again.
   *
   * @param topicId the source topic's id during the run
   * @param copyOffset the copy offset of the run's first record
   * @param firstSourceOffset that record's source offset
   * @param kind {@code incarnation} or {@code re-copy}
   * @param seenAt when the controller found it
   */
  public record Segment(
      String topicId, long copyOffset, long firstSourceOffset, String kind, Instant seenAt) {}

  /**
   * The newest copied record a scan checked: its copy offset and its source offset (after a walk,
   * the highest source offset copied up to it).
   */
  record Verified(String topicId, long copyOffset, long sourceOffset) {}

  /**
   * What one scan of one flow read, for the check.
   *
   * @param idsBefore source topic ids read before the copy's positions
   * @param idsAfter source topic ids read after the source's offsets
   * @param starts the source partitions' log starts
   * @param ends the source partitions' high watermarks
   */
  record Scene(
      FlowSpec flow,
      FlowLayout layout,
      CopyPositions copies,
      Map<String, String> idsBefore,
      Map<String, String> idsAfter,
      Map<TopicPartition, Long> starts,
      Map<TopicPartition, Long> ends,
      Readers readers,
      GapTracker gaps,
      Instant now) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Map<String, Verified> verified = new HashMap<>();
  private final Map<String, Long> searchFrom = new HashMap<>();
  // per copy partition, the highest source offset seen copied (a re-copy lowers the newest one)
  private final Map<String, Long> highest = new HashMap<>();
  private final Map<String, List<Segment>> segments;
  private final Path file;

  /** Runs kept in {@code file} (read now if it exists), or in memory only when null. */
  public CopyIncarnations(Path file) {
    this.file = file;
    this.segments = file == null ? new TreeMap<>() : load(file);
  }

  private static Map<String, List<Segment>> load(Path file) {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(
          JSON.readValue(file.toFile(), new TypeReference<Map<String, List<Segment>>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the copies' runs from " + file, e);
    }
  }

  private static String key(String source, String target, TopicPartition copy) {
    return source + "->" + target + "|" + copy;
  }

  /**
   * The runs found in copy partition {@code copy} of flow {@code source -> target}, oldest first;
   * empty when the controller saw none (one incarnation, copied once, as far as it knows).
   */
  public synchronized List<Segment> segments(String source, String target, TopicPartition copy) {
    return List.copyOf(segments.getOrDefault(key(source, target, copy), List.of()));
  }

  /**
   * Checks which incarnation the newest copied record of each partition belongs to, where that is
   * in doubt, and returns the positions to measure with: {@link CopyPosition#olderIncarnation}
   * where nothing of the current incarnation is copied, UNKNOWN where the topic changed during the
   * scan or a record needed to decide could not be read.
   */
  synchronized Map<TopicPartition, CopyPosition> check(
      Scene scene, Map<TopicPartition, CopyPosition> positions) {
    FlowSpec flow = scene.flow();
    Map<String, String> idsBefore = scene.idsBefore();
    Map<TopicPartition, CopyPosition> out = new HashMap<>(positions);
    Map<TopicPartition, CopyTail> doubtful = new HashMap<>();
    for (var e : scene.layout().copyOf().entrySet()) {
      TopicPartition tp = e.getKey();
      TopicPartition copy = e.getValue();
      CopyPosition p = positions.get(tp);
      String id = idsBefore.get(tp.topic());
      if (id == null || !id.equals(scene.idsAfter().get(tp.topic()))) {
        out.put(
            tp,
            CopyPosition.unknown(
                "source topic " + tp.topic() + " was deleted and created again during the scan",
                p == null ? -1 : p.copyEnd()));
        continue;
      }
      CopyTail tail = scene.copies().tail(flow, copy);
      if (p == null || p.kind() != CopyPosition.Kind.PROVENANCE || tail == null) {
        continue;
      }
      String k = key(flow.source(), flow.target(), copy);
      Verified v = verified.get(k);
      if (v != null && tail.copyOffset() < v.copyOffset()) {
        forget(k); // the copy partition itself started over (recreated on the target)
        v = null;
      }
      if (v != null && v.topicId().equals(id)) {
        if (tail.sourceOffset() <= v.sourceOffset() && tail.copyOffset() > v.copyOffset()) {
          reCopy(copy, k, v, tail, scene.readers(), scene.now());
        } else if (tail.copyOffset() > v.copyOffset()) {
          Long start = scene.starts().get(tp);
          if (start == null) {
            continue; // the source's start is unknown: whether it discarded anything, next scan
          }
          long copiedUpTo = highest.getOrDefault(k, v.sourceOffset());
          if (start > copiedUpTo + 1) {
            Verified walked =
                CopySkips.walk(
                    scene, tp, copy, new Verified(id, v.copyOffset(), copiedUpTo), tail, start);
            verified.put(k, walked);
            highest.merge(k, walked.sourceOffset(), Math::max);
            continue;
          }
        }
        verified.put(k, new Verified(id, tail.copyOffset(), tail.sourceOffset()));
        highest.merge(k, tail.sourceOffset(), Math::max);
        continue;
      }
      doubtful.put(tp, tail);
    }
    verify(scene, doubtful, out);
    return out;
  }

  private void verify(
      Scene scene, Map<TopicPartition, CopyTail> doubtful, Map<TopicPartition, CopyPosition> out) {
    FlowSpec flow = scene.flow();
    Map<TopicPartition, Long> starts = scene.starts();
    Map<TopicPartition, Long> ends = scene.ends();
    Map<TopicPartition, long[]> ranges = new HashMap<>();
    doubtful.keySet().removeIf(tp -> starts.get(tp) == null || ends.get(tp) == null);
    doubtful.forEach(
        (tp, tail) -> {
          long o = tail.sourceOffset();
          if (o >= starts.get(tp) && o < ends.get(tp)) {
            ranges.put(tp, new long[] {o, o + 1});
          }
        });
    Readers readers = scene.readers();
    PartitionReader.Reads reads = readers.source().read(ranges, 1, readers.timeout());
    for (var e : doubtful.entrySet()) {
      TopicPartition tp = e.getKey();
      CopyTail tail = e.getValue();
      TopicPartition copy = scene.layout().copyOf().get(tp);
      String k = key(flow.source(), flow.target(), copy);
      Verified v = verified.get(k);
      String id = scene.idsBefore().get(tp.topic());
      boolean changed = v != null;
      if (tail.sourceOffset() >= ends.get(tp)) {
        // Past the source's end: not of this incarnation (GapTracker reports what the old one
        // lost).
        searchFrom.putIfAbsent(k, tail.copyOffset() + 1);
        continue;
      }
      if (tail.sourceOffset() < starts.get(tp)) {
        // The source no longer holds it: either way every record it holds is uncopied.
        verified.put(k, new Verified(id, tail.copyOffset(), tail.sourceOffset()));
        continue;
      }
      List<ConsumerRecord<byte[], byte[]>> got = reads.records().getOrDefault(tp, List.of());
      boolean read = !reads.unfinished().contains(tp);
      if (read && !got.isEmpty() && got.get(0).offset() == tail.sourceOffset()) {
        if (tail.copies(got.get(0))) {
          Long from = searchFrom.remove(k);
          if (from == null && v != null) {
            from = v.copyOffset() + 1;
          }
          if (from != null) {
            if (!begin(scene, tp, copy, from, id, tail)) {
              out.put(
                  tp,
                  CopyPosition.unknown(
                      "where the copies of the recreated "
                          + tp.topic()
                          + " begin could not be read in time",
                      out.get(tp).copyEnd()));
              searchFrom.put(k, from);
              continue;
            }
          }
          verified.put(k, new Verified(id, tail.copyOffset(), tail.sourceOffset()));
        } else {
          searchFrom.putIfAbsent(k, tail.copyOffset() + 1);
          out.put(tp, CopyPosition.olderIncarnation(out.get(tp).copyEnd()));
        }
      } else if (changed) {
        out.put(
            tp,
            CopyPosition.unknown(
                "source topic "
                    + tp.topic()
                    + " was created again and the record at source offset "
                    + tail.sourceOffset()
                    + (read ? " is gone (compacted or aborted)" : " could not be read in time")
                    + ": which incarnation the copy's newest record came from is unknown",
                out.get(tp).copyEnd()));
      } else {
        // First sight, nothing to compare with: the copy is taken as this incarnation's.
        verified.put(k, new Verified(id, tail.copyOffset(), tail.sourceOffset()));
      }
    }
  }

  /**
   * After a change of incarnation the controller saw, finds where the current incarnation's copies
   * begin in {@code copy} (between {@code from} and the newest record, which is of it), keeps it,
   * and reports the source records before it that were never copied: MirrorMaker 2 resumed past
   * them. False when the records could not be read in time.
   */
  private boolean begin(
      Scene scene, TopicPartition tp, TopicPartition copy, long from, String id, CopyTail tail) {
    Readers readers = scene.readers();
    FlowSpec flow = scene.flow();
    long sourceStart = scene.starts().get(tp);
    long end = tail.copyOffset() + 1;
    long first =
        firstWhere(
            from,
            tail.copyOffset(),
            c -> readers.copyAt(copy, c, end).map(t -> readers.sourceHolds(tp, t)).orElse(false));
    Optional<CopyTail> firstTail = readers.copyAt(copy, first, end);
    if (firstTail.isEmpty()) {
      return false;
    }
    String k = key(flow.source(), flow.target(), copy);
    add(
        k,
        new Segment(
            id,
            firstTail.get().copyOffset(),
            firstTail.get().sourceOffset(),
            "incarnation",
            scene.now()));
    if (firstTail.get().sourceOffset() > sourceStart) {
      scene
          .gaps()
          .record(
              flow,
              scene.layout().tenantOf().get(tp),
              tp,
              sourceStart,
              firstTail.get().sourceOffset(),
              scene.now());
    }
    return true;
  }

  private void reCopy(
      TopicPartition copy, String k, Verified v, CopyTail tail, Readers readers, Instant now) {
    long end = tail.copyOffset() + 1;
    long first =
        firstWhere(
            v.copyOffset() + 1,
            tail.copyOffset(),
            c ->
                readers
                    .copyAt(copy, c, end)
                    .map(t -> t.sourceOffset() <= tail.sourceOffset())
                    .orElse(true));
    readers
        .copyAt(copy, first, end)
        .ifPresent(
            t ->
                add(k, new Segment(v.topicId(), t.copyOffset(), t.sourceOffset(), "re-copy", now)));
  }

  /** The smallest copy offset in [lo, hi] where {@code test} holds, or hi (it holds at hi). */
  private static long firstWhere(long lo, long hi, LongPredicate test) {
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (test.test(mid)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private void add(String k, Segment s) {
    segments.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
    save();
  }

  private void forget(String k) {
    verified.remove(k);
    highest.remove(k);
    searchFrom.remove(k);
    if (segments.remove(k) != null) {
      save();
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new LinkedHashMap<>(segments));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the copies' runs in " + file, e);
    }
  }
}
