package dev.kafkadr.testkit.history;

import java.util.Arrays;

/**
 * A growable array of longs in chunks of 65,536, so that millions of events cost a few bytes each
 * and growing never copies the data. Not thread-safe: its owner synchronizes.
 */
final class LongColumn {

  private static final int SHIFT = 16;
  private static final int CHUNK = 1 << SHIFT;
  private static final int MASK = CHUNK - 1;

  private final long fill;
  private long[][] chunks = new long[8][];
  private int size;

  /** A column whose unset cells read {@code fill}. */
  LongColumn(long fill) {
    this.fill = fill;
  }

  void set(int index, long value) {
    int chunk = index >>> SHIFT;
    if (chunk >= chunks.length) {
      chunks = Arrays.copyOf(chunks, Math.max(chunks.length * 2, chunk + 1));
    }
    if (chunks[chunk] == null) {
      chunks[chunk] = new long[CHUNK];
      if (fill != 0) {
        Arrays.fill(chunks[chunk], fill);
      }
    }
    chunks[chunk][index & MASK] = value;
    size = Math.max(size, index + 1);
  }

  void add(long value) {
    set(size, value);
  }

  long get(int index) {
    int chunk = index >>> SHIFT;
    if (index >= size || chunks[chunk] == null) {
      return fill;
    }
    return chunks[chunk][index & MASK];
  }

  int size() {
    return size;
  }
}
