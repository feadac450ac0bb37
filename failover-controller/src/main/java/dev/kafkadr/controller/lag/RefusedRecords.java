package dev.kafkadr.controller.lag;

import dev.kafkadr.tenant.Provenance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.Utils;

/**
 * Finds the records a flow's failed source task could not write: for each partition with records
 * not yet copied, the first committed one, stamped the way the provenance transformation stamps it,
 * measured against the replication producer's {@code max.request.size} (the producer refuses a
 * record whose estimated size exceeds it, {@code KafkaProducer#ensureValidRecordSize}) and against
 * the copy topic's {@code max.message.bytes} (the broker refuses a batch larger than it). Connect
 * reports the producer's error with a size and no partition or offset; this names the record.
 */
final class RefusedRecords {

  /** Kafka's default {@code max.request.size}, used when the connector sets none. */
  static final long DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

  private static final String MAX_REQUEST_SIZE = "producer.override.max.request.size";

  private RefusedRecords() {}

  /**
   * Whether a Connect failure trace is a record refused for its size, by the producer or the
   * broker.
   */
  static boolean tooLarge(String trace) {
    return trace != null
        && (trace.contains("RecordTooLargeException")
            || trace.contains("RecordBatchTooLargeException"));
  }

  /**
   * The refused records among the next records to copy.
   *
   * @param next the first uncopied source offset and the source's last stable offset, by source
   *     partition, for partitions with records at risk
   * @param copyOf the copy partition of each source partition
   * @param connectorConfig the source connector's configuration as Connect holds it (empty when
   *     unreadable: Kafka's default {@code max.request.size} is assumed)
   * @param sourceAlias the flow's source, written into the provenance header
   * @return each refused record, at most one per partition; empty when none exceeds a limit or the
   *     records could not be read in time
   */
  static List<RefusedRecord> find(
      Map<TopicPartition, long[]> next,
      Map<TopicPartition, TopicPartition> copyOf,
      Map<String, String> connectorConfig,
      String sourceAlias,
      PartitionReader source,
      Admin target,
      Duration timeout) {
    List<RefusedRecord> out = new ArrayList<>();
    if (next.isEmpty()) {
      return out;
    }
    long maxRequest = parse(connectorConfig.get(MAX_REQUEST_SIZE), DEFAULT_MAX_REQUEST_SIZE);
    var records = source.read(next, 1, timeout).records();
    Map<String, Long> maxMessage =
        maxMessageBytes(
            target,
            copyOf.values().stream().map(TopicPartition::topic).distinct().toList(),
            timeout);
    for (var e : records.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      ConsumerRecord<byte[], byte[]> r = e.getValue().get(0);
      Header[] headers = stamped(r, sourceAlias);
      int estimate =
          AbstractRecords.estimateSizeInBytesUpperBound(
              RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, r.key(), r.value(), headers);
      int batch =
          DefaultRecordBatch.RECORD_BATCH_OVERHEAD
              + DefaultRecord.sizeInBytes(
                  0, 0, Utils.wrapNullable(r.key()), Utils.wrapNullable(r.value()), headers);
      TopicPartition copy = copyOf.get(e.getKey());
      Long copyMax = copy == null ? null : maxMessage.get(copy.topic());
      if (estimate > maxRequest) {
        out.add(
            new RefusedRecord(
                r.topic(),
                r.partition(),
                r.offset(),
                estimate,
                "max.request.size",
                maxRequest,
                "raise " + MAX_REQUEST_SIZE + " in the tenant's overrides and apply"));
      } else if (copyMax != null && batch > copyMax) {
        out.add(
            new RefusedRecord(
                r.topic(),
                r.partition(),
                r.offset(),
                batch,
                "max.message.bytes",
                copyMax,
                "raise max.message.bytes of "
                    + copy.topic()
                    + " on the target (the durability guard keeps it at the source's plus room"
                    + " for the header), then restart the failed task"));
      }
    }
    return out;
  }

  /** The record's headers as the copy will carry them: its own plus the provenance header. */
  static Header[] stamped(ConsumerRecord<byte[], byte[]> r, String sourceAlias) {
    List<Header> headers = new ArrayList<>(Arrays.asList(r.headers().toArray()));
    Header existing = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    Provenance p = existing == null ? null : Provenance.parse(existing.value()).orElse(null);
    if (p == null) {
      p = new Provenance(1, r.offset(), r.timestamp(), sourceAlias);
    } else {
      headers.removeIf(h -> h.key().equals(Provenance.DEFAULT_HEADER));
      p = p.nextHop();
    }
    headers.add(new RecordHeader(Provenance.DEFAULT_HEADER, p.toBytes()));
    return headers.toArray(Header[]::new);
  }

  private static Map<String, Long> maxMessageBytes(
      Admin target, List<String> topics, Duration timeout) {
    Map<String, Long> out = new java.util.HashMap<>();
    try {
      Map<ConfigResource, Config> configs =
          target
              .describeConfigs(
                  topics.stream()
                      .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                      .toList())
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      configs.forEach(
          (resource, config) -> {
            ConfigEntry entry = config.get("max.message.bytes");
            if (entry != null && entry.value() != null) {
              out.put(resource.name(), parse(entry.value(), -1));
            }
          });
    } catch (ExecutionException | TimeoutException e) {
      // The copies' limits unknown: only the producer's limit is checked.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private static long parse(String value, long otherwise) {
    if (value == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
