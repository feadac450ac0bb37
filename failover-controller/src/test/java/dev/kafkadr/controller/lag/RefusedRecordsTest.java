package dev.kafkadr.controller.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.tenant.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RefusedRecordsTest {

  @Test
  void aRecordIsMeasuredWithTheProvenanceHeaderItWillCarry() {
    ConsumerRecord<byte[], byte[]> r = record(new RecordHeaders().add("app", new byte[] {1}));
    Header[] stamped = RefusedRecords.stamped(r, "primary");
    assertThat(Arrays.stream(stamped).map(Header::key)).containsExactly("app", "kdr.provenance");
    assertThat(Provenance.parse(stamped[1].value()))
        .contains(new Provenance(1, 42, 1_000, "primary"));
  }

  @Test
  void aRecordCopiedBeforeKeepsItsOriginOneHopFurther() {
    byte[] earlier = new Provenance(1, 7, 500, "other").toBytes();
    ConsumerRecord<byte[], byte[]> r =
        record(new RecordHeaders().add(new RecordHeader(Provenance.DEFAULT_HEADER, earlier)));
    Header[] stamped = RefusedRecords.stamped(r, "primary");
    assertThat(stamped).hasSize(1);
    assertThat(Provenance.parse(stamped[0].value())).contains(new Provenance(2, 7, 500, "other"));
  }

  @Test
  void onlyASizeRefusalCounts() {
    assertThat(
            RefusedRecords.tooLarge(
                "org.apache.kafka.connect.errors.ConnectException: Unrecoverable exception from"
                    + " producer send callback\n\tat ...\nCaused by:"
                    + " org.apache.kafka.common.errors.RecordTooLargeException: The message is"
                    + " 3500123 bytes when serialized"))
        .isTrue();
    assertThat(RefusedRecords.tooLarge("org.apache.kafka.common.errors.TimeoutException: x"))
        .isFalse();
    assertThat(RefusedRecords.tooLarge(null)).isFalse();
  }

  private static ConsumerRecord<byte[], byte[]> record(
      org.apache.kafka.common.header.Headers headers) {
    return new ConsumerRecord<>(
        "t",
        0,
        42,
        1_000,
        TimestampType.CREATE_TIME,
        1,
        3,
        "k".getBytes(StandardCharsets.UTF_8),
        "v".getBytes(StandardCharsets.UTF_8),
        headers,
        Optional.empty());
  }
}
