package dev.kafkadr.testkit.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * A transactional producer of a history, as an exactly-once application writes: records in
 * transactions of a few at a steady rate, every n-th transaction aborted on purpose. A committed
 * transaction's records are {@link Outcome#ACKED}; an aborted one's, and those of a transaction
 * that failed before its commit was asked for (it can never commit), {@link Outcome#FAILED}; a
 * transaction whose commit failed, {@link Outcome#UNKNOWN} (a commit that reached its coordinator
 * may stand even when the answer says fenced). A producer that fails for good (fenced, denied) is
 * closed and a new one made through the factory, on the cluster the tenant is on by then, as an
 * application restarts.
 */
public final class CheckedTransactions implements AutoCloseable {

  /** Makes the transactional producer (with {@code initTransactions} done) where the tenant is. */
  public interface Factory {
    /** A new producer, ready for transactions; throws while the tenant cannot write anywhere. */
    Producer<byte[], byte[]> create();

    /** The cluster the producers it makes write to now. */
    String cluster();
  }

  private final History history;
  private final ProducerLog log;
  private final Factory factory;
  private final String topic;
  private final int topicIndex;
  private final double rate;
  private final int perTransaction;
  private final int abortEvery;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  /**
   * Starts producing.
   *
   * @param rate records per second
   * @param perTransaction records in each transaction
   * @param abortEvery every this many transactions one is aborted; 0: none
   */
  public CheckedTransactions(
      History history,
      int index,
      Factory factory,
      String topic,
      int keys,
      double rate,
      int perTransaction,
      int abortEvery) {
    this.history = history;
    this.log = history.producer(index, keys);
    this.factory = factory;
    this.topic = topic;
    this.topicIndex = history.topic(topic);
    this.rate = rate;
    this.perTransaction = perTransaction;
    this.abortEvery = abortEvery;
    this.thread = new Thread(this::produce, "checked-transactions-" + index);
    thread.setDaemon(true);
    thread.start();
  }

  private void produce() {
    long started = System.nanoTime();
    long n = 0;
    Producer<byte[], byte[]> producer = null;
    try {
      for (long txn = 1; running.get(); txn++) {
        if (producer == null) {
          producer = create();
          if (producer == null) {
            continue;
          }
        }
        Map<Integer, long[]> written = new ConcurrentHashMap<>();
        List<Integer> seqs = new ArrayList<>();
        boolean commitAsked = false;
        try {
          producer.beginTransaction();
          for (int i = 0; i < perTransaction && running.get(); i++, n++) {
            LockSupport.parkNanos(started + (long) (n * 1e9 / rate) - System.nanoTime());
            int seq = log.sent(Micros.now());
            seqs.add(seq);
            producer.send(
                new ProducerRecord<>(
                    topic, History.key(seq, log.keys()), history.value(log.index(), seq, 0)),
                (m, e) -> {
                  if (e == null) {
                    written.put(seq, new long[] {m.partition(), m.offset()});
                  }
                });
          }
          if (abortEvery > 0 && txn % abortEvery == 0) {
            producer.flush();
            producer.abortTransaction();
            seqs.forEach(s -> log.failed(s, Micros.now(), Outcome.FAILED));
            continue;
          }
          commitAsked = true;
          producer.commitTransaction();
          long at = Micros.now();
          int cluster = history.cluster(factory.cluster());
          for (int s : seqs) {
            long[] w = written.get(s);
            log.acked(
                s, at, cluster, topicIndex, w == null ? -1 : (int) w[0], w == null ? -1 : w[1]);
          }
          committed.addAndGet(seqs.size());
        } catch (KafkaException e) {
          Outcome how = commitAsked ? Outcome.UNKNOWN : Outcome.FAILED;
          seqs.forEach(s -> log.failed(s, Micros.now(), how));
          close(producer);
          producer = null;
          restarts.incrementAndGet();
        }
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      close(producer);
      log.pendingUnknown(Micros.now());
    }
  }

  private Producer<byte[], byte[]> create() {
    try {
      return factory.create();
    } catch (KafkaException e) {
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      return null;
    }
  }

  private static void close(Producer<byte[], byte[]> producer) {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (KafkaException e) {
        // a fenced producer may complain on close; it is gone either way
      }
    }
  }

  /** Records committed so far. */
  public long committed() {
    return committed.get();
  }

  /** How many times its producer was made again after failing for good. */
  public long restarts() {
    return restarts.get();
  }

  /** The log this producer writes. */
  public ProducerLog log() {
    return log;
  }

  /** What stopped it, or null. */
  public Throwable failure() {
    return failure.get();
  }

  /** Stops after the transaction under way, within 30 s. */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
