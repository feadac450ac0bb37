package dev.kafkadr.testkit.history;

import dev.kafkadr.tenant.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Everything one reader of a history saw: every record of the history's run it read (id, when,
 * where, the offset it was read at and the source offset its provenance header names, if any),
 * values that were not this run's, and, for a reader that tails a copy, samples of the copy's end
 * offsets with the time each was asked for. Thread-safe.
 */
public final class ReadLog {

  private final String name;
  private final LongColumn ids = new LongColumn(-1);
  private final LongColumn seenAt = new LongColumn(-1);
  private final LongColumn where = new LongColumn(-1);
  private final LongColumn offsets = new LongColumn(-1);
  private final LongColumn sourceOffsets = new LongColumn(-1);
  private int count;
  private final List<String> others = new ArrayList<>();
  private long otherCount;
  private final LongColumn sampledAt = new LongColumn(-1);
  private final Map<Long, LongColumn> sampledEnds = new HashMap<>();
  private int samples;

  ReadLog(String name) {
    this.name = name;
  }

  /** The reader's name (a consumer group, or a copy tailer). */
  public String name() {
    return name;
  }

  /**
   * Logs a record of the run read at {@code micros}.
   *
   * @param id the record's id ({@link History#id})
   * @param sourceOffset the source offset its provenance header names, or -1
   */
  public synchronized void read(
      long id, long micros, int cluster, int topic, int partition, long offset, long sourceOffset) {
    ids.set(count, id);
    seenAt.set(count, micros);
    where.set(count, Places.pack(cluster, topic, partition));
    offsets.set(count, offset);
    sourceOffsets.set(count, sourceOffset);
    count++;
  }

  /**
   * Logs {@code record}, read now on cluster {@code cluster} (its index in {@code history}): as a
   * record of the run, with the source offset its provenance header names, or as another value.
   */
  public void read(History history, ConsumerRecord<byte[], byte[]> record, int cluster) {
    long id = history.parse(record.value());
    if (id < 0) {
      other(record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8));
      return;
    }
    Header h = record.headers().lastHeader(Provenance.DEFAULT_HEADER);
    long source =
        h == null ? -1 : Provenance.parse(h.value()).map(Provenance::originOffset).orElse(-1L);
    read(
        id,
        Micros.now(),
        cluster,
        history.topic(record.topic()),
        record.partition(),
        record.offset(),
        source);
  }

  /** Logs a value that is not a record of this run (kept: the first 100). */
  public synchronized void other(String value) {
    otherCount++;
    if (others.size() < 100) {
      others.add(value);
    }
  }

  /**
   * Logs the end offsets of the partitions read, as asked at {@code requestedAt}: every record
   * below an end was on the cluster at that moment or later, so a sample asked at or after T bounds
   * from above what the cluster held at T.
   *
   * @param ends per packed place ({@link Places#pack}, cluster 0), the end offset
   */
  public synchronized void ends(long requestedAt, Map<Long, Long> ends) {
    sampledAt.set(samples, requestedAt);
    int index = samples++;
    ends.forEach(
        (place, end) ->
            sampledEnds.computeIfAbsent(place, p -> new LongColumn(-1)).set(index, end));
  }

  /** Records read so far (with repeats). */
  public synchronized int count() {
    return count;
  }

  synchronized long id(int i) {
    return ids.get(i);
  }

  synchronized long seenAt(int i) {
    return seenAt.get(i);
  }

  synchronized long where(int i) {
    return where.get(i);
  }

  synchronized long offset(int i) {
    return offsets.get(i);
  }

  synchronized long sourceOffset(int i) {
    return sourceOffsets.get(i);
  }

  /** Values read that were not this run's records: how many, and the first 100. */
  public synchronized long otherCount() {
    return otherCount;
  }

  /** The first 100 values read that were not this run's records. */
  public synchronized List<String> others() {
    return List.copyOf(others);
  }

  synchronized int samples() {
    return samples;
  }

  synchronized long sampledAt(int sample) {
    return sampledAt.get(sample);
  }

  /** The end of {@code place} in sample {@code sample}, or -1 when the sample did not cover it. */
  synchronized long sampledEnd(long place, int sample) {
    LongColumn c = sampledEnds.get(Places.topicPartition(place));
    return c == null ? -1 : c.get(sample);
  }
}
