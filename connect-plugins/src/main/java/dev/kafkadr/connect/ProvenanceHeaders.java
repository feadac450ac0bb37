package dev.kafkadr.connect;

import dev.kafkadr.tenant.Provenance;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Stamps each record MirrorMaker 2 replicates with its {@link Provenance}: the cluster alias where
 * it was first written, its offset and timestamp there, and how many replication hops it has made,
 * in one header. Headers already on the record are kept; a record that already carries provenance
 * (it was replicated before) keeps its origin and has its hop count raised.
 *
 * <p>With {@link OriginIs} in Kafka's {@code Filter} transformation, placed before this one, a flow
 * drops records whose origin is its own target cluster, so two flows A to B and B to A can run with
 * identical topic names without a loop.
 *
 * @param <R> the record type
 */
public class ProvenanceHeaders<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

  /** Key of the source cluster alias. */
  public static final String ORIGIN_ALIAS = "origin.alias";

  /** Key of the header name. */
  public static final String HEADER_NAME = "header.name";

  /** The transformation's configuration. */
  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              ORIGIN_ALIAS,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Alias of the cluster this flow reads from (the connector's source.cluster.alias);"
                  + " written as the origin of records that have none yet.")
          .define(
              HEADER_NAME,
              Type.STRING,
              Provenance.DEFAULT_HEADER,
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Name of the provenance header, whose value is <hops>;<origin offset>;<origin"
                  + " timestamp>;<origin alias>.");

  private String originAlias;
  private String header;

  @Override
  public void configure(Map<String, ?> props) {
    AbstractConfig config = new AbstractConfig(CONFIG_DEF, props, false);
    originAlias = config.getString(ORIGIN_ALIAS);
    header = config.getString(HEADER_NAME);
  }

  @Override
  public R apply(R record) {
    Headers headers = record.headers().duplicate();
    Header existing = headers.lastWithName(header);
    Provenance provenance =
        existing == null
            ? null
            : Provenance.parse(existing.value() instanceof byte[] b ? b : null).orElse(null);
    if (provenance == null) {
      provenance = new Provenance(1, sourceOffset(record), timestamp(record), originAlias);
    } else {
      headers.remove(header);
      provenance = provenance.nextHop();
    }
    headers.add(header, provenance.toBytes(), Schema.BYTES_SCHEMA);
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        record.timestamp(),
        headers);
  }

  private static long timestamp(ConnectRecord<?> record) {
    return record.timestamp() == null ? -1 : record.timestamp();
  }

  /** MirrorMaker 2 puts the upstream offset under "offset" in each source record's offset map. */
  private static long sourceOffset(ConnectRecord<?> record) {
    if (record instanceof SourceRecord source
        && source.sourceOffset() != null
        && source.sourceOffset().get("offset") instanceof Number offset) {
      return offset.longValue();
    }
    return -1;
  }

  @Override
  public ConfigDef config() {
    return CONFIG_DEF;
  }

  @Override
  public String version() {
    return KdrVersion.get();
  }

  @Override
  public void close() {}
}
