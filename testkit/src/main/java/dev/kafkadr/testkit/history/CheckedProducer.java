package dev.kafkadr.testkit.history;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A producer of a history: sends numbered records asynchronously (many in flight, as the client's
 * {@code acks=all}, idempotent settings allow) at a steady rate, round-robin over its topics, and
 * logs every send and every outcome. A record counts as {@link Outcome#FAILED} only when the error
 * proves it was never written (authorization, size, topic, serialization); every other error, and
 * every record still unanswered when the producer is stopped, is {@link Outcome#UNKNOWN}.
 */
public final class CheckedProducer implements AutoCloseable {

  private final History history;
  private final ProducerLog log;
  private final Sender sender;
  private final List<String> topics;
  private final int[] topicIndex;
  private final double rate;
  private final int valueBytes;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong acked = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile long startedAt;
  private volatile long stoppedAt;

  /**
   * Starts producing.
   *
   * @param index the producer's number in the history
   * @param keys how many keys its records are spread over (order is checked per key)
   * @param ratePerSecond records per second; 0 or less: as fast as the producer takes them
   * @param valueBytes each value padded to at least this size
   */
  public CheckedProducer(
      History history,
      int index,
      Sender sender,
      List<String> topics,
      int keys,
      double ratePerSecond,
      int valueBytes) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("a producer needs at least one topic");
    }
    this.history = history;
    this.log = history.producer(index, keys);
    this.sender = sender;
    this.topics = List.copyOf(topics);
    this.topicIndex = topics.stream().mapToInt(history::topic).toArray();
    this.rate = ratePerSecond;
    this.valueBytes = valueBytes;
    this.thread = new Thread(this::produce, "checked-producer-" + index);
    thread.setDaemon(true);
    thread.start();
  }

  private void produce() {
    startedAt = System.nanoTime();
    int keys = log.keys();
    try {
      for (long n = 0; running.get(); n++) {
        if (rate > 0) {
          long due = startedAt + (long) (n * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        int t = (int) (n % topics.size());
        int seq = log.sent(Micros.now());
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                topics.get(t), History.key(seq, keys), history.value(log.index(), seq, valueBytes));
        send(record, seq, topicIndex[t]);
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      stoppedAt = System.nanoTime();
    }
  }

  private void send(ProducerRecord<byte[], byte[]> record, int seq, int topic) {
    try {
      sender.send(
          record,
          (metadata, error) -> {
            long now = Micros.now();
            if (error == null) {
              log.acked(
                  seq,
                  now,
                  history.cluster(sender.cluster()),
                  topic,
                  metadata.partition(),
                  metadata.offset());
              acked.incrementAndGet();
            } else {
              log.failed(seq, now, neverWritten(error) ? Outcome.FAILED : Outcome.UNKNOWN);
            }
          });
    } catch (RuntimeException e) {
      // Refused before it left the client: never written.
      log.failed(seq, Micros.now(), Outcome.FAILED);
      if (!(e instanceof org.apache.kafka.common.errors.TimeoutException)) {
        throw e;
      }
    }
  }

  /** Whether an error proves the record was never appended to the log. */
  static boolean neverWritten(Throwable error) {
    return error instanceof AuthorizationException
        || error instanceof RecordTooLargeException
        || error instanceof RecordBatchTooLargeException
        || error instanceof InvalidTopicException
        || error instanceof SerializationException;
  }

  /** Records sent so far. */
  public int sent() {
    return log.count();
  }

  /** Records acknowledged so far. */
  public long acked() {
    return acked.get();
  }

  /** The log this producer writes. */
  public ProducerLog log() {
    return log;
  }

  /** The cluster it sends to now. */
  public String cluster() {
    return sender.cluster();
  }

  /** Records sent per second since it started (until it stopped). */
  public double achievedRate() {
    long end = stoppedAt == 0 ? System.nanoTime() : stoppedAt;
    return startedAt == 0 ? 0 : log.count() / Math.max(1e-9, (end - startedAt) / 1e9);
  }

  /** What stopped it, or null. */
  public Throwable failure() {
    return failure.get();
  }

  /**
   * Stops sending, waits up to {@code drain} for every record in flight, and marks what is still
   * unanswered {@link Outcome#UNKNOWN}; the sender stays open.
   */
  public void stop(Duration drain) throws InterruptedException {
    running.set(false);
    thread.join(TimeUnit.SECONDS.toMillis(30));
    Thread flush = new Thread(sender::flush, "checked-producer-flush-" + log.index());
    flush.setDaemon(true);
    flush.start();
    flush.join(drain.toMillis());
    log.pendingUnknown(Micros.now());
  }

  /** Stops (10 s to drain) and closes the sender. */
  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sender.close();
      log.pendingUnknown(Micros.now());
    }
  }
}
