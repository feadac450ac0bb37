package dev.kafkadr.connect;

import dev.kafkadr.tenant.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of a tenant connector's configuration from which MirrorMaker 2 builds its own clients
 * ({@code source.cluster.*}, {@code target.cluster.*}, {@code consumer.*}, {@code producer.*},
 * {@code admin.*} and their {@code source.}/{@code target.} forms): no Connect override policy ever
 * sees them, so a connector of kafka-dr's classes made by hand through Connect's REST API could
 * read uncommitted records, load interceptor classes or log in as another principal. Only the keys
 * kafka-dr renders are accepted, with the values it renders where a value matters; everything else
 * is refused at validation, naming the key. Connect's own {@code *.override.*} keys are left to
 * Connect's override policy.
 *
 * <p>A SASL login is ScramLoginModule or MSK's IAMLoginModule only. A self-managed worker names its
 * replication principals in the system property {@value #PRINCIPALS} (comma separated; Connect has
 * resolved ConfigProvider references by validation time): a SCRAM login as anyone else is refused.
 * Where a worker cannot be given system properties (MSK Connect), the username is not pinned. A key
 * store (mutual TLS) is pinned the same way by {@value #KEY_STORES}.
 */
final class ClientKeys {

  /** The worker's system property naming the SCRAM users replication may log in as. */
  static final String PRINCIPALS = "kdr.replication.principals";

  /** The worker's system property naming the key stores replication may log in with (mTLS). */
  static final String KEY_STORES = "kdr.replication.keystores";

  private static final List<String> CLIENT_PREFIXES =
      List.of(
          "source.cluster.",
          "target.cluster.",
          "consumer.",
          "producer.",
          "admin.",
          "source.consumer.",
          "source.producer.",
          "source.admin.",
          "target.consumer.",
          "target.producer.",
          "target.admin.");

  /** The security settings kafka-dr renders for a cluster's clients (ClientSecurity), exactly. */
  static final Set<String> RENDERED_SECURITY_KEYS =
      Set.of(
          "security.protocol",
          "sasl.mechanism",
          "sasl.jaas.config",
          "sasl.client.callback.handler.class",
          "ssl.truststore.location",
          "ssl.truststore.password",
          "ssl.keystore.location",
          "ssl.keystore.password",
          "ssl.key.password");

  /** Those, and the store types and hostname check MM2's own clients may be given as well. */
  static final Set<String> SECURITY_KEYS =
      union(
          RENDERED_SECURITY_KEYS,
          "ssl.truststore.type",
          "ssl.keystore.type",
          "ssl.endpoint.identification.algorithm");

  private static final Set<String> CLUSTER_KEYS =
      union(SECURITY_KEYS, "alias", "bootstrap.servers");

  private static final Set<String> CONSUMER_KEYS =
      Set.of(
          "consumer.client.id",
          "consumer.isolation.level",
          "consumer.max.poll.records",
          "consumer.max.partition.fetch.bytes",
          "consumer.fetch.min.bytes",
          "consumer.fetch.max.wait.ms",
          "consumer.fetch.max.bytes");

  private static final String IAM_HANDLER = "software.amazon.msk.auth.iam.IAMClientCallbackHandler";
  private static final String IAM_LOGIN = "software.amazon.msk.auth.iam.IAMLoginModule required;";
  private static final Pattern SCRAM =
      Pattern.compile(
          "\\s*org\\.apache\\.kafka\\.common\\.security\\.scram\\.ScramLoginModule\\s+required"
              + "\\s+username=\"([^\"]*)\"\\s+password=\"[^\"]*\"\\s*;\\s*");

  private ClientKeys() {}

  /** Every problem with the client keys of {@code props}, each at its key. */
  static List<Problem> problems(Map<String, String> props) {
    List<Problem> out = new ArrayList<>();
    for (var e : props.entrySet()) {
      String key = e.getKey();
      if (key.contains(".override.") || CLIENT_PREFIXES.stream().noneMatch(key::startsWith)) {
        continue;
      }
      if (key.startsWith("source.cluster.") || key.startsWith("target.cluster.")) {
        String setting = key.substring(key.indexOf(".cluster.") + ".cluster.".length());
        if (!CLUSTER_KEYS.contains(setting)) {
          out.add(refused(key));
        } else {
          value(key, setting, e.getValue(), out);
        }
      } else if (!CONSUMER_KEYS.contains(key)) {
        out.add(refused(key));
      } else if ("consumer.isolation.level".equals(key) && !"read_committed".equals(e.getValue())) {
        out.add(
            new Problem(
                key,
                "must be read_committed: replication copies committed records only (was \""
                    + e.getValue()
                    + "\")"));
      }
    }
    return out;
  }

  /** Checks the values kafka-dr renders where a value decides who logs in and what loads. */
  static void value(String key, String setting, String value, List<Problem> out) {
    if ("ssl.keystore.location".equals(setting)) {
      keyStore(key, value, out);
    }
    if ("sasl.client.callback.handler.class".equals(setting) && !IAM_HANDLER.equals(value)) {
      out.add(new Problem(key, "only " + IAM_HANDLER + " (MSK IAM) may be named here"));
    }
    if (!"sasl.jaas.config".equals(setting) || IAM_LOGIN.equals(value.trim())) {
      return;
    }
    Matcher scram = SCRAM.matcher(value);
    if (!scram.matches()) {
      out.add(
          new Problem(
              key,
              "only a ScramLoginModule or MSK's IAMLoginModule login, as kafka-dr renders it, is"
                  + " accepted"));
      return;
    }
    String declared = System.getProperty(PRINCIPALS);
    if (declared == null) {
      return;
    }
    List<String> allowed =
        Arrays.stream(declared.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (!allowed.contains(scram.group(1))) {
      out.add(
          new Problem(
              key,
              "logs in as \""
                  + scram.group(1)
                  + "\", not a replication principal of this worker ("
                  + PRINCIPALS
                  + ": "
                  + allowed
                  + ")"));
    }
  }

  /**
   * A key store is a login over mutual TLS as the principal of its certificate: where the worker
   * names its replication key stores ({@value #KEY_STORES}, comma separated paths), any other is
   * refused, so that a connector cannot log in with another principal's key store found on the
   * worker's disk.
   */
  private static void keyStore(String key, String value, List<Problem> out) {
    String declared = System.getProperty(KEY_STORES);
    if (declared == null) {
      return;
    }
    List<String> allowed =
        Arrays.stream(declared.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (!allowed.contains(value.trim())) {
      out.add(
          new Problem(
              key,
              "names the key store "
                  + value.trim()
                  + ", not a replication key store of this worker ("
                  + KEY_STORES
                  + ": "
                  + allowed
                  + ")"));
    }
  }

  /** {@code keys} and {@code more}. */
  static Set<String> union(Set<String> keys, String... more) {
    Set<String> out = new java.util.HashSet<>(keys);
    out.addAll(Arrays.asList(more));
    return Set.copyOf(out);
  }

  private static Problem refused(String key) {
    return new Problem(
        key,
        "not a key kafka-dr's tenant connectors accept: MirrorMaker 2 would build its own client"
            + " with it, out of reach of any Connect override policy");
  }
}
