package dev.kafkadr.connect;

import java.util.Arrays;
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
 * True for records whose provenance origin (see {@link ProvenanceHeaders}) is the configured
 * cluster alias. Used with Kafka's {@code Filter} transformation to drop, in a flow to cluster X,
 * the records that came from X in the first place.
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
              ProvenanceHeaders.HEADER_PREFIX,
              Type.STRING,
              Provenance.DEFAULT_PREFIX,
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Prefix of the provenance header names, as configured on ProvenanceHeaders.");

  private byte[] alias;
  private String originHeader;

  @Override
  public void configure(Map<String, ?> props) {
    AbstractConfig config = new AbstractConfig(CONFIG_DEF, props, false);
    alias = Provenance.bytes(config.getString(ALIAS));
    originHeader = config.getString(ProvenanceHeaders.HEADER_PREFIX) + Provenance.ORIGIN;
  }

  @Override
  public boolean test(R record) {
    Header origin = record.headers().lastWithName(originHeader);
    if (origin == null || origin.value() == null) {
      return false;
    }
    Object value = origin.value();
    return value instanceof byte[] bytes
        ? Arrays.equals(bytes, alias)
        : Arrays.equals(Provenance.bytes(String.valueOf(value)), alias);
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
