package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkadr.tenant.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ProvenanceHeadersTest {

  private static SourceRecord record(ConnectHeaders headers) {
    return new SourceRecord(
        Map.of("cluster", "primary", "topic", "orders", "partition", 2),
        Map.of("offset", 42L),
        "orders",
        2,
        Schema.BYTES_SCHEMA,
        bytes("k"),
        Schema.BYTES_SCHEMA,
        bytes("v"),
        1_700_000_000_123L,
        headers);
  }

  private static ProvenanceHeaders<SourceRecord> transform(String alias) {
    ProvenanceHeaders<SourceRecord> t = new ProvenanceHeaders<>();
    t.configure(Map.of(ProvenanceHeaders.ORIGIN_ALIAS, alias));
    return t;
  }

  @Test
  void stampsOriginOffsetTimestampAndFirstHopAfterTheExistingHeaders() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.add("trace-id", bytes("t-1"), Schema.BYTES_SCHEMA);
    SourceRecord in = record(headers);

    SourceRecord out = transform("primary").apply(in);

    assertThat(texts(out))
        .containsExactly("trace-id=t-1", "kdr.provenance=1;42;1700000000123;primary");
    assertThat(texts(in)).containsExactly("trace-id=t-1");
    assertThat(out.key()).isEqualTo(in.key());
    assertThat(out.value()).isEqualTo(in.value());
    assertThat(out.timestamp()).isEqualTo(in.timestamp());
    assertThat(out.kafkaPartition()).isEqualTo(2);
  }

  @Test
  void aRecordReplicatedBeforeKeepsItsOriginAndCountsAnotherHop() {
    SourceRecord once = transform("primary").apply(record(new ConnectHeaders()));

    SourceRecord twice = transform("secondary").apply(once);

    assertThat(texts(twice)).containsExactly("kdr.provenance=2;42;1700000000123;primary");
  }

  @Test
  void originIsMatchesOnlyTheConfiguredAlias() {
    SourceRecord stamped = transform("primary").apply(record(new ConnectHeaders()));
    OriginIs<SourceRecord> fromPrimary = new OriginIs<>();
    fromPrimary.configure(Map.of(OriginIs.ALIAS, "primary"));
    OriginIs<SourceRecord> fromSecondary = new OriginIs<>();
    fromSecondary.configure(Map.of(OriginIs.ALIAS, "secondary"));

    assertThat(fromPrimary.test(stamped)).isTrue();
    assertThat(fromSecondary.test(stamped)).isFalse();
    assertThat(fromPrimary.test(record(new ConnectHeaders()))).isFalse();
  }

  @Test
  void provenanceRoundTripsAndAnAliasMayContainTheSeparator() {
    Provenance p = new Provenance(3, 7, -1, "dc;east");

    assertThat(new String(p.toBytes(), StandardCharsets.UTF_8)).isEqualTo("3;7;;dc;east");
    assertThat(Provenance.parse(p.toBytes())).contains(p);
    assertThat(Provenance.originIs(p.toBytes(), bytes("dc;east"))).isTrue();
    assertThat(Provenance.originIs(p.toBytes(), bytes("dc"))).isFalse();
    assertThat(Provenance.parse(bytes("not provenance"))).isEmpty();
  }

  @Test
  void aMissingAliasIsAnErrorNamingTheKey() {
    assertThatThrownBy(() -> new ProvenanceHeaders<SourceRecord>().configure(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("origin.alias");
  }

  @Test
  void reportsTheBuildVersion() {
    assertThat(new ProvenanceHeaders<SourceRecord>().version())
        .isEqualTo(KdrVersion.get())
        .isNotEqualTo("unknown");
  }

  private static List<String> texts(SourceRecord record) {
    List<String> out = new ArrayList<>();
    for (Header h : record.headers()) {
      out.add(h.key() + "=" + new String((byte[]) h.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
