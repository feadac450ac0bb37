package dev.kafkadr.testkit.history;

import dev.kafkadr.client.FollowingProducer;
import java.time.Duration;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What a {@link CheckedProducer} sends through: a plain Kafka producer bound to one cluster, or the
 * client helper's producer that follows its tenant between clusters.
 */
public interface Sender extends AutoCloseable {

  /** Sends {@code record} asynchronously; {@code done} gets its metadata or error. */
  void send(ProducerRecord<byte[], byte[]> record, Callback done);

  /** The cluster records go to now (its alias). */
  String cluster();

  /** Waits for every record sent so far to complete. */
  void flush();

  @Override
  void close();

  /** A plain producer of cluster {@code alias}. */
  static Sender of(Producer<byte[], byte[]> producer, String alias) {
    return new Sender() {
      @Override
      public void send(ProducerRecord<byte[], byte[]> record, Callback done) {
        producer.send(record, done);
      }

      @Override
      public String cluster() {
        return alias;
      }

      @Override
      public void flush() {
        producer.flush();
      }

      @Override
      public void close() {
        producer.close(Duration.ofSeconds(10));
      }
    };
  }

  /**
   * {@code inner} as sent by a host whose clock runs {@code ahead} of this one's (negative:
   * behind): every record is stamped (CreateTime) with this host's time plus {@code ahead}, as a
   * producer on a skewed host stamps it.
   */
  static Sender stampedAhead(Sender inner, Duration ahead) {
    return new Sender() {
      @Override
      public void send(ProducerRecord<byte[], byte[]> record, Callback done) {
        inner.send(
            new ProducerRecord<>(
                record.topic(),
                record.partition(),
                System.currentTimeMillis() + ahead.toMillis(),
                record.key(),
                record.value(),
                record.headers()),
            done);
      }

      @Override
      public String cluster() {
        return inner.cluster();
      }

      @Override
      public void flush() {
        inner.flush();
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  /** The client helper's producer: it follows its tenant's cluster in the bootstrap registry. */
  static Sender following(FollowingProducer<byte[], byte[]> producer) {
    return new Sender() {
      @Override
      public void send(ProducerRecord<byte[], byte[]> record, Callback done) {
        producer.send(record, done);
      }

      @Override
      public String cluster() {
        return producer.location().cluster();
      }

      @Override
      public void flush() {
        producer.flush();
      }

      @Override
      public void close() {
        producer.close();
      }
    };
  }
}
