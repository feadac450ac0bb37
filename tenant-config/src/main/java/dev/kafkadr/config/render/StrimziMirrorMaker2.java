package dev.kafkadr.config.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.ConnectClusterSpec;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.ConnectConfigs.TenantFlowConfigs;
import dev.kafkadr.config.ExactlyOnceSource;
import dev.kafkadr.config.TenantFlow;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.tenant.Problem;
import dev.kafkadr.tenant.TenantConfigException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a tenants file as Strimzi {@code KafkaMirrorMaker2} resources ({@code
 * kafka.strimzi.io/v1beta2}), one per tenant and target cluster: Strimzi runs MM2's own connector
 * classes, one set per source-target pair, and its Connect cluster writes to the target, so a
 * tenant's flows into one target share a resource and nothing else does.
 *
 * <p>Strimzi takes credentials from Kubernetes Secrets, not from ConfigProvider references, so the
 * {@code deploy.strimzi.secrets.<alias>} block names them: {@code trustedCertificates} (a Secret of
 * CA certificates), {@code clientCertificate} (a Secret with {@code user.crt} and {@code
 * user.key}), {@code password} ({@code {secretName, key}} for SCRAM). The image, named by {@code
 * deploy.strimzi.image}, must carry the kafka-dr plugins.
 */
public final class StrimziMirrorMaker2 {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private StrimziMirrorMaker2() {}

  /**
   * File name to resource YAML, in file order.
   *
   * @throws TenantConfigException naming every missing or unusable setting
   */
  public static Map<String, String> render(TenantsFile file) {
    List<Problem> problems = new ArrayList<>();
    DeploySettings strimzi =
        new DeploySettings(file.deploy().get("strimzi"), "deploy.strimzi", problems);
    if (!file.deploy().containsKey("strimzi")) {
      throw new TenantConfigException(
          List.of(
              new Problem(
                  "deploy.strimzi",
                  "is missing: Strimzi output needs at least the image with the kafka-dr plugins")));
    }
    String image = strimzi.required("image", "Strimzi's own image lacks the kafka-dr plugins");
    Map<String, List<TenantFlowConfigs>> resources = new LinkedHashMap<>();
    for (TenantFlowConfigs f : ConnectConfigs.flows(file)) {
      resources
          .computeIfAbsent(name(f.tenant(), f.target().alias()), k -> new ArrayList<>())
          .add(f);
    }
    Map<String, Object> clusters = new LinkedHashMap<>();
    for (int i = 0; i < file.clusters().size(); i++) {
      ClusterSpec c = file.clusters().get(i);
      DeploySettings secrets = strimzi.block("secrets").block(c.alias());
      clusters.put(c.alias(), cluster(c, "clusters[" + i + "]", secrets, problems));
    }
    if (!problems.isEmpty()) {
      throw new TenantConfigException(problems);
    }
    Map<String, String> out = new LinkedHashMap<>();
    resources.forEach(
        (name, flows) ->
            out.put(
                name + ".yaml",
                resource(
                    name,
                    flows,
                    strimzi,
                    image,
                    clusters,
                    file.connect()
                        .clusterOf(flows.get(0).tenant())
                        .map(ConnectClusterSpec::exactlyOnceSource)
                        .orElse(ExactlyOnceSource.DISABLED))));
    return out;
  }

  private static String resource(
      String name,
      List<TenantFlowConfigs> flows,
      DeploySettings strimzi,
      String image,
      Map<String, Object> clusters,
      ExactlyOnceSource exactlyOnce) {
    TenantFlowConfigs first = flows.get(0);
    String tenant = first.tenant();
    String target = first.target().alias();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (strimzi.has("namespace")) {
      metadata.put("namespace", strimzi.optional("namespace", null));
    }
    metadata.put(
        "labels",
        ordered("app.kubernetes.io/managed-by", "kafka-dr", "kafka-dr.dev/tenant", tenant));
    Map<String, Object> spec = new LinkedHashMap<>();
    if (strimzi.has("version")) {
      spec.put("version", strimzi.optional("version", null));
    }
    spec.put("replicas", strimzi.number("replicas", 1));
    spec.put("image", image);
    spec.put("connectCluster", target);
    List<Object> specClusters = new ArrayList<>();
    List<String> aliases = new ArrayList<>();
    for (TenantFlowConfigs f : flows) {
      for (ClusterSpec c : List.of(f.source(), f.target())) {
        if (!aliases.contains(c.alias())) {
          aliases.add(c.alias());
          @SuppressWarnings("unchecked")
          Map<String, Object> cluster =
              new LinkedHashMap<>((Map<String, Object>) clusters.get(c.alias()));
          if (c.alias().equals(target)) {
            Map<String, Object> worker = worker(tenant, first.sourceConnector());
            if (exactlyOnce != ExactlyOnceSource.DISABLED) {
              // The tenant's own Connect cluster: rolled to preparing, then to enabled (KIP-618).
              worker.put("exactly.once.source.support", exactlyOnce.configName());
            }
            cluster.put("config", worker);
          }
          specClusters.add(cluster);
        }
      }
    }
    spec.put("clusters", specClusters);
    List<Object> mirrors = new ArrayList<>();
    for (TenantFlowConfigs f : flows) {
      Map<String, Object> mirror = new LinkedHashMap<>();
      mirror.put("sourceCluster", f.source().alias());
      mirror.put("targetCluster", f.target().alias());
      Map<String, String> source = DedicatedMirrorMaker.connectorSettings(f, f.sourceConnector());
      source.put("topic.filter.class", TenantFlow.TOPIC_FILTER);
      int tasks = Integer.parseInt(source.remove("tasks.max"));
      mirror.put("sourceConnector", ordered("tasksMax", tasks, "config", source));
      Map<String, String> checkpoint = DedicatedMirrorMaker.connectorSettings(f, f.checkpoint());
      checkpoint.put("group.filter.class", TenantFlow.GROUP_FILTER);
      checkpoint.put("topic.filter.class", TenantFlow.TOPIC_FILTER);
      mirror.put("checkpointConnector", ordered("config", checkpoint));
      mirror.put(
          "heartbeatConnector",
          ordered("config", DedicatedMirrorMaker.connectorSettings(f, f.heartbeat())));
      mirrors.add(mirror);
    }
    spec.put("mirrors", mirrors);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "kafka.strimzi.io/v1beta2");
    doc.put("kind", "KafkaMirrorMaker2");
    doc.put("metadata", metadata);
    doc.put("spec", spec);
    try {
      return "# MirrorMaker 2 for tenant \""
          + tenant
          + "\" into "
          + target
          + ", rendered by kafka-dr.\n"
          + YAML.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tenant's own Connect group and internal topics on the target. */
  private static Map<String, Object> worker(String tenant, Map<String, String> source) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("group.id", "kdr." + tenant + ".mm2");
    config.put("config.storage.topic", "kdr." + tenant + ".mm2-configs.internal");
    config.put("offset.storage.topic", "kdr." + tenant + ".mm2-offsets.internal");
    config.put("status.storage.topic", "kdr." + tenant + ".mm2-status.internal");
    int rf = Integer.parseInt(source.get("replication.factor"));
    for (String kind : List.of("config", "offset", "status")) {
      config.put(kind + ".storage.replication.factor", rf);
    }
    return config;
  }

  private static Map<String, Object> cluster(
      ClusterSpec c, String at, DeploySettings secrets, List<Problem> problems) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("alias", c.alias());
    out.put("bootstrapServers", c.bootstrap());
    Map<String, String> s = c.security();
    String protocol = s.getOrDefault("protocol", "PLAINTEXT");
    if (protocol.endsWith("SSL") && s.containsKey("truststore.location")) {
      String ca =
          secrets.required(
              "trustedCertificates",
              "Strimzi reads the CA certificates of " + c.alias() + " from a Kubernetes Secret");
      out.put(
          "tls",
          ordered(
              "trustedCertificates",
              List.of(ordered("secretName", ca == null ? "" : ca, "pattern", "*.crt"))));
    } else if (protocol.endsWith("SSL")) {
      // No truststore in the tenants file: the JVM's default CAs, as for any other client.
      out.put("tls", ordered());
    }
    String mechanism = s.get("mechanism");
    if (s.containsKey("keystore.location")) {
      String cert =
          secrets.required(
              "clientCertificate",
              "Strimzi reads the client certificate for "
                  + c.alias()
                  + " from a Kubernetes Secret with user.crt and user.key");
      out.put(
          "authentication",
          ordered(
              "type",
              "tls",
              "certificateAndKey",
              ordered(
                  "secretName",
                  cert == null ? "" : cert,
                  "certificate",
                  "user.crt",
                  "key",
                  "user.key")));
    } else if (mechanism != null && mechanism.startsWith("SCRAM")) {
      String username = s.get("username");
      if (username != null && username.startsWith("${")) {
        problems.add(
            new Problem(
                at + ".security.username",
                "Strimzi needs the SCRAM username written out; only the password comes from a"
                    + " Secret"));
      }
      DeploySettings password = secrets.block("password");
      String secret = password.required("secretName", "the Secret holding the SCRAM password");
      String key = password.optional("key", "password");
      Map<String, Object> auth = new LinkedHashMap<>();
      auth.put("type", mechanism.toLowerCase(Locale.ROOT));
      auth.put("username", username);
      auth.put(
          "passwordSecret", ordered("secretName", secret == null ? "" : secret, "password", key));
      out.put("authentication", auth);
    } else if ("AWS_MSK_IAM".equals(mechanism)) {
      Map<String, Object> auth = new LinkedHashMap<>();
      auth.put("type", "custom");
      auth.put("sasl", true);
      auth.put(
          "config",
          ordered(
              "sasl.mechanism", "AWS_MSK_IAM",
              "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
              "sasl.client.callback.handler.class",
                  "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
      out.put("authentication", auth);
    }
    return out;
  }

  /** A map that keeps the order its pairs are given in. */
  static Map<String, Object> ordered(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  /** A Kubernetes name: lower case, digits and '-', at most 63 characters. */
  static String name(String tenant, String target) {
    String name =
        ("kdr-" + tenant + "-to-" + target)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-")
            .replaceAll("-+", "-");
    name = name.length() > 63 ? name.substring(0, 63) : name;
    return name.replaceAll("-$", "");
  }
}
