package dev.kafkadr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkadr.config.render.RenderFormat;
import dev.kafkadr.tenant.TenantConfigException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files for every example and every deployment format other than Connect REST (which {@link
 * ConnectConfigsTest} covers): the rendered files, or the problems that stop a format, as committed
 * under {@code src/test/resources/golden/}. Regenerate with {@code -Dkdr.golden.update=true} and
 * review the diff.
 */
class RenderFormatsTest {

  private static final Path EXAMPLES = Path.of("..", "configs", "examples");
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  @TestFactory
  Stream<DynamicTest> everyExampleInEveryFormatMatchesItsGoldenFile() {
    return Stream.of("active-passive", "active-active", "onprem-to-msk")
        .flatMap(
            example ->
                Stream.of(RenderFormat.MM2, RenderFormat.STRIMZI, RenderFormat.MSK_CONNECT)
                    .map(
                        format ->
                            DynamicTest.dynamicTest(
                                example + " as " + format.id(),
                                () -> {
                                  String text = rendered(example, format);
                                  Path golden =
                                      GOLDEN.resolve(example + "." + format.id() + ".txt");
                                  if (Boolean.getBoolean("kdr.golden.update")) {
                                    Files.writeString(golden, text);
                                  }
                                  assertThat(text).isEqualTo(Files.readString(golden));
                                })));
  }

  private static String rendered(String example, RenderFormat format) {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve(example + ".yaml"));
    try {
      StringBuilder out = new StringBuilder();
      format
          .render(file)
          .forEach((name, text) -> out.append("# ---- ").append(name).append('\n').append(text));
      return out.toString();
    } catch (TenantConfigException e) {
      return "not rendered:\n" + e.getMessage() + "\n";
    }
  }

  @Test
  void dedicatedModePropertiesLoadBackToTheTenantsSettings() throws Exception {
    Map<String, String> files =
        RenderFormat.MM2.render(TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml")));
    assertThat(files).containsOnlyKeys("payments.mm2.properties", "orders.mm2.properties");

    Properties p = new Properties();
    p.load(new StringReader(files.get("payments.mm2.properties")));
    assertThat(p)
        .containsEntry("clusters", "eu-west-1, eu-central-1")
        .containsEntry("eu-west-1->eu-central-1.enabled", "true")
        .containsEntry("eu-west-1->eu-central-1.kdr.tenant.topics.include", "payments\\..*")
        .containsEntry(
            "eu-west-1->eu-central-1.topic.filter.class", "dev.kafkadr.connect.TenantTopicFilter")
        .containsEntry("eu-central-1.group.id", "kdr.payments.mm2")
        .containsEntry("eu-west-1.security.protocol", "SASL_SSL")
        .containsEntry("eu-central-1->eu-west-1.emit.heartbeats.enabled", "false")
        .doesNotContainKey("eu-west-1->eu-central-1.connector.class")
        .doesNotContainKey("eu-west-1->eu-central-1.producer.override.sasl.jaas.config");
  }

  @Test
  void strimziNeedsKubernetesSecretsAndSaysWhichAreMissing() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("onprem-to-msk.yaml"));
    TenantsFile withStrimzi = withDeploy(file, Map.of("strimzi", Map.of("image", "kdr:1")));

    assertThatThrownBy(() -> RenderFormat.STRIMZI.render(withStrimzi))
        .isInstanceOf(TenantConfigException.class)
        .hasMessageContaining("deploy.strimzi.secrets.onprem.password.secretName: is missing")
        .hasMessageContaining("clusters[0].security.username: Strimzi needs the SCRAM username");
  }

  @Test
  void mskConnectRejectsFileSecretsAndScramTargets() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml"));
    TenantsFile withMsk =
        withDeploy(
            file,
            Map.of(
                "mskConnect",
                Map.of(
                    "customPluginArn",
                    "arn:p",
                    "serviceExecutionRoleArn",
                    "arn:r",
                    "subnets",
                    List.of("s"),
                    "securityGroups",
                    List.of("g"),
                    "kafkaConnectVersion",
                    "2.7.1")));

    assertThatThrownBy(() -> RenderFormat.MSK_CONNECT.render(withMsk))
        .isInstanceOf(TenantConfigException.class)
        .hasMessageContaining(
            "clusters[0].security.password: MSK Connect has no \"file\" config provider")
        .hasMessageContaining("clusters[1].security.mechanism: MSK Connect reaches the cluster")
        .hasMessageContaining("tenants[0].delivery: exactly-once is not rendered for MSK Connect")
        .hasMessageContaining(
            "deploy.mskConnect.kafkaConnectVersion: \"2.7.1\" cannot load kafka-dr's plugin, which"
                + " needs Java 17");
  }

  private static TenantsFile withDeploy(TenantsFile file, Map<String, Object> deploy) {
    return new TenantsFile(
        file.clusters(),
        file.flows(),
        file.tenants(),
        file.overrides(),
        file.quotas(),
        file.access(),
        deploy,
        file.traffic(),
        file.connect(),
        file.drills(),
        file.failover());
  }

  @Test
  void everySecretInEveryFormatIsAReferenceOrAKubernetesSecretKey() {
    Pattern secretSetting =
        Pattern.compile("(?i)^\\s*\"?[\\w.>-]*(password|jaas\\.config)\"?\\s*[=:]\\s*(.+)$");
    int checked = 0;
    for (String example : List.of("active-passive", "active-active", "onprem-to-msk")) {
      for (RenderFormat format : RenderFormat.values()) {
        List<String> lines = rendered(example, format).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = secretSetting.matcher(lines.get(i));
          if (!m.matches() || m.group(2).isBlank() || m.group(2).equals("{")) {
            continue;
          }
          checked++;
          String value = m.group(2);
          boolean kubernetesKey = i > 0 && lines.get(i - 1).contains("secretName");
          boolean loginModuleOnly = !value.contains("password=") && value.contains("required");
          assertThat(kubernetesKey || loginModuleOnly || value.contains("${"))
              .as(example + " " + format.id() + " line " + (i + 1) + ": " + lines.get(i))
              .isTrue();
          assertThat(value.replaceAll("\\$\\{[^}]+}", ""))
              .as(example + " " + format.id() + " line " + (i + 1))
              .doesNotContainPattern("password=\"[^\"]+\"");
        }
      }
    }
    assertThat(checked).as("secret settings seen").isGreaterThan(20);
  }
}
