package dev.kafkadr.connect;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Stamps provenance headers on each record MirrorMaker 2 replicates: the cluster alias where the
 * record was first written, its offset and timestamp there, and how many replication hops it has
 * made. Headers already on the record are kept; a record that already carries an origin (it was
 * replicated before) keeps that origin and has its hop count raised.
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

  /** Key of the header name prefix. */
  public static final String HEADER_PREFIX = "header.prefix";

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
              HEADER_PREFIX,
              Type.STRING,
              Provenance.DEFAULT_PREFIX,
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Prefix of the provenance header names: <prefix>origin, <prefix>origin.offset,"
                  + " <prefix>origin.timestamp and <prefix>hops.");

  private byte[] originAlias;
  private String originHeader;
  private String offsetHeader;
  private String timestampHeader;
  private String hopsHeader;

  @Override
  public void configure(Map<String, ?> props) {
    AbstractConfig config = new AbstractConfig(CONFIG_DEF, props, false);
    String prefix = config.getString(HEADER_PREFIX);
    originAlias = Provenance.bytes(config.getString(ORIGIN_ALIAS));
    originHeader = prefix + Provenance.ORIGIN;
    offsetHeader = prefix + Provenance.ORIGIN_OFFSET;
    timestampHeader = prefix + Provenance.ORIGIN_TIMESTAMP;
    hopsHeader = prefix + Provenance.HOPS;
  }

  @Override
  public R apply(R record) {
    Headers headers = record.headers().duplicate();
    if (headers.lastWithName(originHeader) == null) {
      headers.add(originHeader, originAlias, Schema.BYTES_SCHEMA);
      Object offset = sourceOffset(record);
      if (offset != null) {
        headers.add(offsetHeader, Provenance.bytes(offset.toString()), Schema.BYTES_SCHEMA);
      }
      if (record.timestamp() != null) {
        headers.add(
            timestampHeader, Provenance.bytes(record.timestamp().toString()), Schema.BYTES_SCHEMA);
      }
      headers.add(hopsHeader, Provenance.bytes("1"), Schema.BYTES_SCHEMA);
    } else {
      headers.remove(hopsHeader);
      headers.add(
          hopsHeader,
          Provenance.bytes(Integer.toString(hops(record.headers()) + 1)),
          Schema.BYTES_SCHEMA);
    }
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

  private int hops(Headers headers) {
    String text = Provenance.text(headers, hopsHeader);
    try {
      return text == null ? 1 : Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** MirrorMaker 2 puts the upstream offset under "offset" in each source record's offset map. */
  private static Object sourceOffset(ConnectRecord<?> record) {
    if (record instanceof SourceRecord source && source.sourceOffset() != null) {
      return source.sourceOffset().get("offset");
    }
    return null;
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
