package dev.kafkadr.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: each example tenants file renders to exactly the connector configs committed under
 * {@code src/test/resources/golden/}. After an intended change, regenerate them with {@code mvn -pl
 * tenant-config test -Dkdr.golden.update=true} and review the diff.
 */
class ConnectConfigsTest {

  private static final Path EXAMPLES = Path.of("..", "configs", "examples");
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

  @TestFactory
  Stream<DynamicTest> everyExampleRendersToItsGoldenFile() {
    return Stream.of("active-passive", "active-active", "onprem-to-msk")
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      Map<String, Map<String, String>> rendered =
                          ConnectConfigs.render(
                              TenantsFileParser.parse(EXAMPLES.resolve(name + ".yaml")));
                      String text = JSON.writeValueAsString(new TreeMap<>(rendered)) + "\n";
                      Path golden = GOLDEN.resolve(name + ".connect.json");
                      if (Boolean.getBoolean("kdr.golden.update")) {
                        Files.writeString(golden, text);
                      }
                      assertThat(text).isEqualTo(Files.readString(golden));
                    }));
  }

  @Test
  void rendersEveryFlowAndTenantAsThreeConnectors() {
    Map<String, Map<String, String>> rendered =
        ConnectConfigs.render(TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml")));

    assertThat(rendered.keySet())
        .containsExactly(
            "payments.eu-west-1-to-eu-central-1.source",
                "payments.eu-west-1-to-eu-central-1.checkpoint",
            "payments.eu-west-1-to-eu-central-1.heartbeat",
                "orders.eu-west-1-to-eu-central-1.source",
            "orders.eu-west-1-to-eu-central-1.checkpoint",
                "orders.eu-west-1-to-eu-central-1.heartbeat");
    Map<String, String> orders = rendered.get("orders.eu-west-1-to-eu-central-1.source");
    assertThat(orders)
        .containsEntry("tasks.max", "4")
        .containsEntry("producer.override.compression.type", "zstd")
        .containsEntry("kdr.tenant.others.topics", "")
        .containsEntry(
            "producer.override.bootstrap.servers", "kafka.eu-central-1.example.internal:9096")
        .containsEntry("producer.override.security.protocol", "SASL_SSL");
    assertThat(rendered.get("payments.eu-west-1-to-eu-central-1.source"))
        .containsEntry("kdr.tenant.topics.exclude", "payments\\.scratch\\..*");
  }

  @Test
  void anExactlyOnceTenantsSourceConnectorRequiresItAndRunsOnItsOwnCluster() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml"));

    Map<String, Map<String, Map<String, String>>> byCluster = ConnectConfigs.renderByCluster(file);

    assertThat(byCluster.keySet()).containsExactly("default", "eos");
    assertThat(byCluster.get("eos").keySet()).allMatch(n -> n.startsWith("payments."));
    assertThat(byCluster.get("default").keySet()).allMatch(n -> n.startsWith("orders."));
    assertThat(byCluster.get("eos").get("payments.eu-west-1-to-eu-central-1.source"))
        .containsEntry("exactly.once.support", "required")
        .containsEntry("transaction.boundary", "poll")
        .containsEntry("consumer.isolation.level", "read_committed");
    // Only the source connector can declare exactly-once support; the others keep the default.
    assertThat(byCluster.get("eos").get("payments.eu-west-1-to-eu-central-1.checkpoint"))
        .doesNotContainKeys("exactly.once.support", "transaction.boundary");
    assertThat(byCluster.get("default").get("orders.eu-west-1-to-eu-central-1.source"))
        .doesNotContainKeys("exactly.once.support", "transaction.boundary");
  }

  @Test
  void noRenderedSecretIsAnythingButAConfigProviderReference() {
    int secrets = 0;
    for (String name : List.of("active-passive", "active-active", "onprem-to-msk")) {
      for (Map<String, String> config :
          ConnectConfigs.render(TenantsFileParser.parse(EXAMPLES.resolve(name + ".yaml")))
              .values()) {
        for (Map.Entry<String, String> e : config.entrySet()) {
          if (e.getKey().endsWith("password")) {
            assertThat(Secrets.isReference(e.getValue())).as(name + " " + e.getKey()).isTrue();
            secrets++;
          }
          var jaasPassword = JAAS_PASSWORD.matcher(e.getValue());
          if (e.getKey().endsWith("jaas.config") && jaasPassword.find()) {
            assertThat(Secrets.isReference(jaasPassword.group(1)))
                .as(name + " " + e.getKey())
                .isTrue();
            secrets++;
          }
        }
      }
    }
    assertThat(secrets).as("secrets seen in the examples").isGreaterThan(10);
  }
}
