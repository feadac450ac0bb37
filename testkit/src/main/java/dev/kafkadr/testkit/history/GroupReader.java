package dev.kafkadr.testkit.history;

import dev.kafkadr.client.FollowingConsumer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A consuming application of a history: a consumer group member that polls, logs every record it
 * reads under the group's name, and commits after each batch (synchronously), as an application
 * that wants few re-reads does. It reads through a plain consumer or the client helper's consumer
 * that follows its tenant between clusters.
 */
public final class GroupReader implements AutoCloseable {

  /** What a group reader polls through. */
  public interface Source extends AutoCloseable {
    /** Polls once. */
    ConsumerRecords<byte[], byte[]> poll(Duration timeout);

    /** Commits what the last poll returned. */
    void commit();

    /** The cluster it reads now (its alias). */
    String cluster();

    @Override
    void close();

    /** A plain consumer of cluster {@code alias}, subscribed to {@code topics}. */
    static Source of(
        KafkaConsumer<byte[], byte[]> consumer, String alias, Collection<String> topics) {
      consumer.subscribe(topics);
      return new Source() {
        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
          return consumer.poll(timeout);
        }

        @Override
        public void commit() {
          consumer.commitSync();
        }

        @Override
        public String cluster() {
          return alias;
        }

        @Override
        public void close() {
          consumer.close();
        }
      };
    }

    /** The client helper's consumer, subscribed to {@code topics}: it follows its tenant. */
    static Source following(FollowingConsumer<byte[], byte[]> consumer, Collection<String> topics) {
      consumer.subscribe(topics);
      return new Source() {
        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
          return consumer.poll(timeout);
        }

        @Override
        public void commit() {
          consumer.commitSync();
        }

        @Override
        public String cluster() {
          return consumer.location().cluster();
        }

        @Override
        public void close() {
          consumer.close();
        }
      };
    }
  }

  private final History history;
  private final ReadLog log;
  private final Source source;
  private final Consumer<String> onBatch;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  /**
   * Starts reading.
   *
   * @param name the reader's name in the history (the group id, usually)
   * @param onBatch told the cluster of every batch read and committed (to time a move)
   */
  public GroupReader(History history, String name, Source source, Consumer<String> onBatch) {
    this.history = history;
    this.log = history.reader(name);
    this.source = source;
    this.onBatch = onBatch;
    this.thread = new Thread(this::read, "group-reader-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void read() {
    try {
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = source.poll(Duration.ofMillis(100));
        String cluster = source.cluster();
        int c = history.cluster(cluster);
        for (ConsumerRecord<byte[], byte[]> r : records) {
          log.read(history, r, c);
        }
        if (!records.isEmpty()) {
          source.commit();
          onBatch.accept(cluster);
        }
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  /** The log this reader writes. */
  public ReadLog log() {
    return log;
  }

  /** What stopped it, or null. */
  public Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() {
    if (!running.getAndSet(false)) {
      return;
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    source.close();
  }
}
