package dev.kafkadr.connect;

import dev.kafkadr.tenant.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigRequest;

/**
 * The client override policy of a worker that runs kafka-dr's connectors ({@code
 * connector.client.config.override.policy=dev.kafkadr.connect.KafkaDrConnectorClientConfigOverridePolicy}):
 * a connector may override exactly the producer settings kafka-dr renders ({@link #PRODUCER}: where
 * the copies go, the client id its quota holds, the target's security settings and the tuning a
 * tenants file may set) and no consumer or admin setting, since kafka-dr renders none. Kafka ships
 * only {@code All}, {@code None} and {@code Principal}; {@code All} lets any connector made through
 * the REST API point its producer anywhere or log in as anyone.
 *
 * <p>Where a value decides who logs in and what loads, it is held to what kafka-dr renders as well:
 * a SASL login is ScramLoginModule (as a replication principal of the worker, {@code
 * -Dkdr.replication.principals}) or MSK's IAMLoginModule, and the only callback handler is MSK's.
 * Each refused key is answered at that key, naming it; Connect then refuses the connector (HTTP
 * 400). This policy holds every connector on the worker, Kafka's stock ones included; which
 * connectors may be created at all is for the REST API's authentication to decide.
 */
public final class KafkaDrConnectorClientConfigOverridePolicy
    implements ConnectorClientConfigOverridePolicy {

  /** The producer settings a connector may override (without {@code producer.override.}). */
  public static final Set<String> PRODUCER =
      ClientKeys.union(
          ClientKeys.RENDERED_SECURITY_KEYS,
          "bootstrap.servers",
          "client.id",
          "linger.ms",
          "batch.size",
          "compression.type",
          "buffer.memory",
          "max.request.size");

  @Override
  public List<ConfigValue> validate(ConnectorClientConfigRequest request) {
    boolean producer = request.clientType() == ConnectorClientConfigRequest.ClientType.PRODUCER;
    String prefix = request.clientType().name().toLowerCase(Locale.ROOT) + ".override.";
    List<ConfigValue> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : request.clientProps().entrySet()) {
      String setting = e.getKey();
      // No value in the answer: Connect prints refused ones in its log and the task's trace, and
      // a login's holds a password.
      ConfigValue value = new ConfigValue(setting, null, List.of(), new ArrayList<>());
      if (!producer || !PRODUCER.contains(setting)) {
        value.addErrorMessage(
            prefix
                + setting
                + " is not an override kafka-dr renders; this worker's policy allows "
                + (producer ? "producer.override. with " + new TreeSet<>(PRODUCER) : "none")
                + " (KafkaDrConnectorClientConfigOverridePolicy)");
      } else {
        List<Problem> problems = new ArrayList<>();
        ClientKeys.value(prefix + setting, setting, text(e.getValue()), problems);
        problems.forEach(p -> value.addErrorMessage(p.path() + ": " + p.message()));
      }
      out.add(value);
    }
    return out;
  }

  /**
   * A value as the tenant connector rendered it: Connect has parsed each override by its type
   * before asking the policy, so a login arrives as a {@link Password} (whose {@code toString()}
   * hides it) and a callback handler as a {@link Class}.
   */
  static String text(Object value) {
    if (value instanceof Password p) {
      return p.value();
    }
    if (value instanceof Class<?> c) {
      return c.getName();
    }
    return value == null ? "" : value.toString();
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
