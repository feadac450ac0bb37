package dev.kafkadr.connect;

import dev.kafkadr.tenant.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * True for records whose provenance origin (see {@link Provenance}) is the configured cluster
 * alias. Used with Kafka's {@code Filter} transformation to drop, in a flow to cluster X, the
 * records that came from X in the first place.
 *
 * @param <R> the record type
 */
public class OriginIs<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {

  /** Key of the alias to test for. */
  public static final String ALIAS = "alias";

  /** The predicate's configuration. */
  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              ALIAS,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Cluster alias to test for; for loop prevention, the flow's target.cluster.alias.")
          .define(
              ProvenanceHeaders.HEADER_NAME,
              Type.STRING,
              Provenance.DEFAULT_HEADER,
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Name of the provenance header, as configured on ProvenanceHeaders.");

  private byte[] alias;
  private String header;

  @Override
  public void configure(Map<String, ?> props) {
    AbstractConfig config = new AbstractConfig(CONFIG_DEF, props, false);
    alias = config.getString(ALIAS).getBytes(StandardCharsets.UTF_8);
    header = config.getString(ProvenanceHeaders.HEADER_NAME);
  }

  @Override
  public boolean test(R record) {
    Header provenance = record.headers().lastWithName(header);
    return provenance != null
        && provenance.value() instanceof byte[] value
        && Provenance.originIs(value, alias);
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
