package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.controller.lag.FlowLag;
import dev.kafkadr.controller.lag.PartitionLag;
import dev.kafkadr.tenant.Provenance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Where the copies of a tenant's partitions end on the cluster it moves to. */
final class CopyEnds {

  /** Newest records of a copy searched for one copied from the source. */
  private static final int WINDOW = 500;

  private CopyEnds() {}

  /**
   * Waits until connector {@code name} on the target's Connect cluster reports STOPPED with no task
   * left (the copy can grow no more); false when it does not within {@code timeout}.
   */
  static boolean awaitStopped(StepContext c, String name, Duration timeout)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      try {
        var s = c.connect(c.to().alias()).status(name);
        if ("STOPPED".equals(s.state()) && s.tasks().isEmpty()) {
          return true;
        }
      } catch (ConnectRestException e) {
        if (e.status() == 404) {
          return true; // no connector, nothing copies
        }
      }
      Thread.sleep(200);
    }
    return false;
  }

  /**
   * For each source partition of {@code lag}, the first source offset its copy on the target does
   * not hold: the newest copy's provenance names it; 0 when the copy never held a record; absent
   * when none of the copy's newest records came from the source (it cannot be told).
   */
  static Map<TopicPartition, Long> nextToCopy(StepContext c, FlowLag lag) throws Exception {
    Map<TopicPartition, TopicPartition> copyOf = new HashMap<>();
    Map<TopicPartition, Long> out = new HashMap<>();
    for (PartitionLag p : lag.partitions()) {
      TopicPartition tp = new TopicPartition(p.topic(), p.partition());
      if (p.copy() == null) {
        out.put(tp, 0L); // verified absent at the last scan: nothing was copied
      } else {
        copyOf.put(tp, new TopicPartition(p.copy(), p.partition()));
      }
    }
    Map<String, Object> config =
        ClusterClients.readerConfig(c.to(), "kdr-controller-copy-ends-" + c.to().alias());
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> copies = new ArrayList<>(copyOf.values());
      Map<TopicPartition, Long> starts = consumer.beginningOffsets(copies, Duration.ofSeconds(20));
      Map<TopicPartition, Long> ends = consumer.endOffsets(copies, Duration.ofSeconds(20));
      for (var e : copyOf.entrySet()) {
        long end = ends.get(e.getValue());
        if (end == 0) {
          out.put(e.getKey(), 0L);
        } else {
          long from = Math.max(starts.get(e.getValue()), end - WINDOW);
          lastFrom(consumer, e.getValue(), from, end, c.from().alias())
              .ifPresent(o -> out.put(e.getKey(), o + 1));
        }
      }
    }
    return out;
  }

  /** The source offset of the newest record in [from, end) copied straight from {@code source}. */
  private static Optional<Long> lastFrom(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      long from,
      long end,
      String source) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, from);
    Optional<Long> last = Optional.empty();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (consumer.position(tp) < end && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.offset() < end) {
          Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
          Optional<Long> o = Provenance.copiedFrom(h == null ? null : h.value(), source);
          if (o.isPresent()) {
            last = o;
          }
        }
      }
    }
    if (consumer.position(tp) < end) {
      throw new WorkflowException(
          "the copy " + tp + " on the target could not be read to its end within 20 s");
    }
    return last;
  }
}
