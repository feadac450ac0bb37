package dev.kafkadr.testkit.history;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What a copy held at each of its offsets, from a reader that read the whole copy ({@link
 * CopyReader}): per copy partition, the source offset each copied record's provenance names. Used
 * to judge a consumer group's translated position (MirrorMaker 2's checkpoints, the controller's
 * translation): a group committed at source offset U that resumes on the copy at offset D skips
 * every copied record below D whose source offset is U or more, and reads again every record at or
 * above D whose source offset is below U.
 */
public final class CopyIndex {

  /**
   * A translated position judged against the copy.
   *
   * @param skipped records at or past the committed source offset copied only below the position: a
   *     group resuming there never reads them (0 for a safe translation)
   * @param readAgain records before the committed source offset at or past the position: read a
   *     second time by a group resuming there
   */
  public record Resume(long skipped, long readAgain) {}

  private static boolean ascending(long[] values) {
    for (int i = 1; i < values.length; i++) {
      if (values[i] <= values[i - 1]) { // a record copied twice in a row is not in order either
        return false;
      }
    }
    return true;
  }

  /** Per topic and partition: copy offsets ascending, and the source offset copied at each. */
  private final Map<String, Part> partitions = new HashMap<>();

  private record Part(long[] copy, long[] source, boolean ascending) {}

  private CopyIndex() {}

  /**
   * Indexes what {@code reader} read (every record of the run read on the copy, with its source
   * offset; a record read twice counts once, at the copy offset it was read at first).
   */
  public static CopyIndex of(History history, String reader) {
    ReadLog log = history.reader(reader);
    Map<String, Map<Long, Long>> byPartition = new HashMap<>();
    for (int i = 0; i < log.count(); i++) {
      long place = log.where(i);
      String key = history.topicName(Places.topic(place)) + "-" + Places.partition(place);
      byPartition
          .computeIfAbsent(key, k -> new HashMap<>())
          .putIfAbsent(log.offset(i), log.sourceOffset(i));
    }
    CopyIndex index = new CopyIndex();
    byPartition.forEach(
        (key, offsets) -> {
          long[] copy = offsets.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
          long[] source = new long[copy.length];
          for (int i = 0; i < copy.length; i++) {
            source[i] = offsets.get(copy[i]);
          }
          index.partitions.put(key, new Part(copy, source, ascending(source)));
        });
    return index;
  }

  /**
   * The distinct source offsets read on partition {@code partition} of {@code topic}'s copy: the
   * records the copy holds, by where they came from (empty when nothing of it was read).
   */
  public java.util.Set<Long> copied(String topic, int partition) {
    Part p = partitions.get(topic + "-" + partition);
    java.util.Set<Long> out = new java.util.HashSet<>();
    if (p != null) {
      for (long o : p.source()) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * Judges resuming partition {@code partition} of {@code topic}'s copy at copy offset {@code
   * copyOffset} for a group committed at source offset {@code sourceOffset}.
   *
   * @throws IllegalArgumentException when the reader read nothing of that partition
   */
  public Resume resume(String topic, int partition, long copyOffset, long sourceOffset) {
    Part p = partitions.get(topic + "-" + partition);
    if (p == null) {
      throw new IllegalArgumentException("nothing read of " + topic + "-" + partition);
    }
    long[] copy = p.copy();
    long[] source = p.source();
    int at = Arrays.binarySearch(copy, copyOffset);
    if (at < 0) {
      at = -at - 1;
    }
    if (p.ascending()) {
      int first = Arrays.binarySearch(source, sourceOffset);
      if (first < 0) {
        first = -first - 1;
      } else {
        while (first > 0 && source[first - 1] == sourceOffset) {
          first--;
        }
      }
      return new Resume(Math.max(0, at - first), Math.max(0, first - at));
    }
    // copied more than once (a task restarted): a record below the position is skipped only if
    // no copy of it lies at or past the position
    java.util.Set<Long> ahead = new java.util.HashSet<>();
    long readAgain = 0;
    for (int i = at; i < copy.length; i++) {
      ahead.add(source[i]);
      readAgain += source[i] < sourceOffset ? 1 : 0;
    }
    java.util.Set<Long> skippedOffsets = new java.util.HashSet<>();
    for (int i = 0; i < at; i++) {
      if (source[i] >= sourceOffset && !ahead.contains(source[i])) {
        skippedOffsets.add(source[i]);
      }
    }
    long skipped = skippedOffsets.size();
    return new Resume(skipped, readAgain);
  }
}
