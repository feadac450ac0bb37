package dev.kafkadr.config.render;

import static dev.kafkadr.config.render.StrimziMirrorMaker2.ordered;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.ConnectConfigs.TenantFlowConfigs;
import dev.kafkadr.config.Delivery;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.tenant.Problem;
import dev.kafkadr.tenant.TenantConfigException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a tenants file as Amazon MSK Connect {@code CreateConnector} requests, one JSON document
 * per connector (for {@code aws kafkaconnect create-connector --cli-input-json}).
 *
 * <p>MSK Connect runs the connector against the cluster it writes to, the flow's target, which it
 * reaches with IAM or without authentication only. It has no file or environment config providers:
 * secrets must be references to providers its worker configuration declares, such as {@code
 * ${secretsmanager:...}} or {@code ${ssm:...}}. The deployment (plugin, role, network, capacity)
 * comes from the tenants file's {@code deploy.mskConnect} block.
 */
public final class MskConnect {

  private static final Pattern PROVIDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_-]*):");
  private static final List<String> LOCAL_PROVIDERS = List.of("file", "env", "directory");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private MskConnect() {}

  /** A Connect version other than 3.7.x, refused: the plugin needs Java 17. */
  private static void refuseOldRuntime(DeploySettings msk, List<Problem> problems) {
    String version = msk.optional("kafkaConnectVersion", "3.7.x");
    if (!version.startsWith("3.7.")) {
      // MSK Connect runs 2.7.1 on Java 11; the plugin is Java 17 (class files version 61), tested
      // on a 3.7.2 worker (connect-plugins' Connect37PluginIT).
      problems.add(
          new Problem(
              "deploy.mskConnect.kafkaConnectVersion",
              "\""
                  + version
                  + "\" cannot load kafka-dr's plugin, which needs Java 17: MSK Connect runs 2.7.1"
                  + " on Java 11; use 3.7.x"));
    }
  }

  /** Exactly-once tenants: not rendered for MSK Connect, each refused at its path. */
  private static void refuseExactlyOnce(TenantsFile file, List<Problem> problems) {
    for (int i = 0; i < file.tenants().size(); i++) {
      if (file.connect().of(file.tenants().get(i).id()).delivery() == Delivery.EXACTLY_ONCE) {
        problems.add(
            new Problem(
                "tenants[" + i + "].delivery",
                "exactly-once is not rendered for MSK Connect: kafka-dr neither sets nor verifies"
                    + " exactly.once.source.support on MSK Connect workers; run this tenant on a"
                    + " self-managed Connect cluster (--format connect) or dedicated MirrorMaker 2"
                    + " (--format mm2)"));
      }
    }
  }

  /**
   * File name to request JSON, in file order.
   *
   * @throws TenantConfigException naming every missing or unusable setting
   */
  public static Map<String, String> render(TenantsFile file) {
    List<Problem> problems = new ArrayList<>();
    if (!file.deploy().containsKey("mskConnect")) {
      throw new TenantConfigException(
          List.of(
              new Problem(
                  "deploy.mskConnect",
                  "is missing: MSK Connect output needs the custom plugin, the service execution"
                      + " role and the network")));
    }
    DeploySettings msk =
        new DeploySettings(file.deploy().get("mskConnect"), "deploy.mskConnect", problems);
    String plugin =
        msk.required("customPluginArn", "the MSK Connect custom plugin with the kafka-dr plugins");
    String role = msk.required("serviceExecutionRoleArn", "the IAM role the connectors run as");
    List<String> subnets = msk.strings("subnets", "the subnets the workers run in");
    List<String> groups = msk.strings("securityGroups", "the security groups of the workers");
    refuseOldRuntime(msk, problems);
    for (int i = 0; i < file.clusters().size(); i++) {
      ClusterSpec c = file.clusters().get(i);
      c.security()
          .forEach(
              (key, value) -> {
                Matcher m = PROVIDER.matcher(value);
                if (m.find() && LOCAL_PROVIDERS.contains(m.group(1))) {
                  problems.add(
                      new Problem(
                          "clusters[" + file.clusters().indexOf(c) + "].security." + key,
                          "MSK Connect has no \""
                              + m.group(1)
                              + "\" config provider; reference a secret of a provider its worker"
                              + " configuration declares, e.g. ${secretsmanager:name:key}"));
                }
              });
    }
    refuseExactlyOnce(file, problems);
    List<TenantFlowConfigs> flows = ConnectConfigs.flows(file);
    for (TenantFlowConfigs f : flows) {
      String at = "clusters[" + file.clusters().indexOf(f.target()) + "].security";
      Map<String, String> s = f.target().security();
      if (s.get("mechanism") != null && !"AWS_MSK_IAM".equals(s.get("mechanism"))) {
        problems.add(
            new Problem(
                at + ".mechanism",
                "MSK Connect reaches the cluster it writes to ("
                    + f.target().alias()
                    + ") with IAM or no authentication, not "
                    + s.get("mechanism")));
      } else if (s.containsKey("keystore.location")) {
        problems.add(
            new Problem(
                at + ".keystore.location",
                "MSK Connect reaches the cluster it writes to ("
                    + f.target().alias()
                    + ") with IAM or no authentication, not TLS client certificates"));
      }
    }
    if (!problems.isEmpty()) {
      throw new TenantConfigException(problems);
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (TenantFlowConfigs f : flows) {
      for (var connector :
          List.of(
              Map.entry("source", f.sourceConnector()),
              Map.entry("checkpoint", f.checkpoint()),
              Map.entry("heartbeat", f.heartbeat()))) {
        String name = (f.name() + "." + connector.getKey()).replace('.', '-');
        Map<String, String> config = new TreeMap<>(connector.getValue());
        config.remove("name");
        out.put(
            name + ".json", request(name, config, f.target(), msk, plugin, role, subnets, groups));
      }
    }
    return out;
  }

  private static String request(
      String name,
      Map<String, String> config,
      ClusterSpec target,
      DeploySettings msk,
      String plugin,
      String role,
      List<String> subnets,
      List<String> groups) {
    Map<String, String> s = target.security();
    boolean iam = "AWS_MSK_IAM".equals(s.get("mechanism"));
    boolean tls = s.getOrDefault("protocol", "PLAINTEXT").endsWith("SSL");
    Map<String, Object> request =
        ordered(
            "connectorName",
            name,
            "kafkaConnectVersion",
            msk.optional("kafkaConnectVersion", "3.7.x"),
            "capacity",
            ordered(
                "provisionedCapacity",
                ordered(
                    "mcuCount",
                    msk.number("mcuCount", 1),
                    "workerCount",
                    msk.number("workerCount", 1))),
            "kafkaCluster",
            ordered(
                "apacheKafkaCluster",
                ordered(
                    "bootstrapServers",
                    target.bootstrap(),
                    "vpc",
                    ordered("subnets", subnets, "securityGroups", groups))),
            "kafkaClusterClientAuthentication",
            ordered("authenticationType", iam ? "IAM" : "NONE"),
            "kafkaClusterEncryptionInTransit",
            ordered("encryptionType", tls ? "TLS" : "PLAINTEXT"),
            "plugins",
            List.of(
                ordered(
                    "customPlugin",
                    ordered(
                        "customPluginArn",
                        plugin,
                        "revision",
                        msk.number("customPluginRevision", 1)))),
            "serviceExecutionRoleArn",
            role,
            "connectorConfiguration",
            config);
    if (msk.has("workerConfigurationArn")) {
      request.put(
          "workerConfiguration",
          ordered(
              "workerConfigurationArn",
              msk.optional("workerConfigurationArn", null),
              "revision",
              msk.number("workerConfigurationRevision", 1)));
    }
    try {
      return JSON.writeValueAsString(request) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
