package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFileParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigRequest;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigRequest.ClientType;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.junit.jupiter.api.Test;

class KafkaDrConnectorClientConfigOverridePolicyTest {

  private static final KafkaDrConnectorClientConfigOverridePolicy POLICY =
      new KafkaDrConnectorClientConfigOverridePolicy();

  /** A tenants file that sets every override a tenant may and replicates over SCRAM. */
  private static final String TUNED =
      String.join(
          "\n",
          "clusters:",
          "  - alias: primary",
          "    bootstrap: 127.0.0.1:9092",
          "    security: {protocol: SASL_SSL, mechanism: SCRAM-SHA-512, username: kdr-replication,",
          "      password: '${file:/etc/kdr/secrets.properties:replication}',",
          "      truststore.location: /etc/kdr/truststore.p12,",
          "      truststore.password: '${file:/etc/kdr/secrets.properties:truststore}'}",
          "  - alias: secondary",
          "    bootstrap: 127.0.0.1:9093",
          "    security: {protocol: SASL_SSL, mechanism: SCRAM-SHA-512, username: kdr-replication,",
          "      password: '${file:/etc/kdr/secrets.properties:replication}'}",
          "flows:",
          "  - {source: primary, target: secondary, tenants: [payments]}",
          "tenants:",
          "  - id: payments",
          "    topics: {include: ['payments\\..*']}",
          "    groups: {include: ['payments-.*']}",
          "    rpo: 30s",
          "    rto: 5m",
          "    quota: {bytesPerSecond: 1MiB}",
          "    overrides: {producer.override.linger.ms: 20, producer.override.batch.size: 65536,",
          "      producer.override.compression.type: zstd, producer.override.buffer.memory: 1048576,",
          "      producer.override.max.request.size: 2097152}",
          "");

  private static List<ConfigValue> validate(String key, Object value) {
    String type = key.substring(0, key.indexOf(".override."));
    String setting = key.substring(key.indexOf(".override.") + ".override.".length());
    Map<String, Object> props = new HashMap<>();
    props.put(setting, value);
    return POLICY.validate(
        new ConnectorClientConfigRequest(
            "a-connector",
            ConnectorType.SOURCE,
            MirrorSourceConnector.class,
            props,
            ClientType.valueOf(type.toUpperCase(Locale.ROOT))));
  }

  /** The value as Connect hands it to the policy: parsed by the producer config's type. */
  private static Object parsed(String key, String value) {
    String setting = key.substring(key.indexOf(".override.") + ".override.".length());
    var def =
        org.apache.kafka.clients.producer.ProducerConfig.configDef().configKeys().get(setting);
    if (def == null) {
      return value;
    }
    try {
      return org.apache.kafka.common.config.ConfigDef.parseType(setting, value, def.type);
    } catch (org.apache.kafka.common.config.ConfigException notHere) {
      // MSK's callback handler is on an MSK worker's class path, not this test's: Connect there
      // hands the policy the Class, whose name text() reads back.
      return value;
    }
  }

  private static List<String> errors(String key, Object value) {
    List<String> out = new ArrayList<>();
    validate(key, value).forEach(v -> out.addAll(v.errorMessages()));
    return out;
  }

  @Test
  void everyOverrideKafkaDrRendersIsAllowed() throws IOException {
    List<String> rendered = new ArrayList<>();
    List<Map<String, Map<String, String>>> files = new ArrayList<>();
    try (Stream<Path> examples = Files.list(Path.of("..", "configs", "examples"))) {
      examples
          .filter(p -> p.toString().endsWith(".yaml"))
          .forEach(p -> files.add(ConnectConfigs.render(TenantsFileParser.parse(p))));
    }
    files.add(ConnectConfigs.render(TenantsFileParser.parse(TUNED, "tuned.yaml")));
    for (Map<String, Map<String, String>> connectors : files) {
      connectors.forEach(
          (name, config) ->
              config.forEach(
                  (key, value) -> {
                    if (key.contains(".override.")) {
                      rendered.add(key);
                      assertThat(errors(key, value)).as(name + ": " + key).isEmpty();
                      if (key.startsWith("producer.override.")) {
                        assertThat(errors(key, parsed(key, value)))
                            .as(name + ": " + key + ", parsed as Connect does")
                            .isEmpty();
                      }
                    }
                  }));
    }
    assertThat(rendered)
        .as("the overrides rendered")
        .contains(
            "producer.override.bootstrap.servers",
            "producer.override.client.id",
            "producer.override.sasl.jaas.config",
            "producer.override.linger.ms",
            "producer.override.max.request.size");
  }

  @Test
  void anyOtherOverrideIsRefusedAtItsKey() {
    assertThat(errors("producer.override.interceptor.classes", "com.example.Spy"))
        .singleElement()
        .asString()
        .contains("producer.override.interceptor.classes is not an override kafka-dr renders");
    assertThat(errors("consumer.override.isolation.level", "read_uncommitted"))
        .singleElement()
        .asString()
        .contains("consumer.override.isolation.level")
        .contains("allows none");
    assertThat(errors("admin.override.bootstrap.servers", "elsewhere:9092")).hasSize(1);
  }

  @Test
  void aLoginIsHeldToTheOnesKafkaDrRenders() {
    assertThat(
            errors(
                "producer.override.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"admin\" password=\"x\";"))
        .singleElement()
        .asString()
        .contains("only a ScramLoginModule or MSK's IAMLoginModule login");
    assertThat(errors("producer.override.sasl.client.callback.handler.class", "com.example.Steal"))
        .hasSize(1);
  }

  @Test
  void aKeyStoreIsHeldToTheWorkersReplicationKeyStoresWhereItNamesThem() {
    String key = "producer.override.ssl.keystore.location";
    assertThat(errors(key, "/etc/kdr/controller.p12")).as("no key stores named").isEmpty();
    System.setProperty(ClientKeys.KEY_STORES, "/etc/kdr/replication.p12, /etc/kdr/next.p12");
    try {
      assertThat(errors(key, "/etc/kdr/replication.p12")).isEmpty();
      assertThat(errors(key, "/etc/kdr/next.p12")).isEmpty();
      assertThat(errors(key, "/etc/kdr/controller.p12"))
          .singleElement()
          .asString()
          .contains(key, "/etc/kdr/controller.p12", ClientKeys.KEY_STORES);
      List<dev.kafkadr.tenant.Problem> problems = new ArrayList<>();
      ClientKeys.value(
          "source.cluster.ssl.keystore.location",
          "ssl.keystore.location",
          "/etc/kdr/controller.p12",
          problems);
      assertThat(problems).singleElement().asString().contains("source.cluster.ssl.keystore");
    } finally {
      System.clearProperty(ClientKeys.KEY_STORES);
    }
  }

  @Test
  void aRefusedValueIsNeverEchoedForConnectToLog() {
    var answer =
        validate(
            "producer.override.sasl.jaas.config",
            new org.apache.kafka.common.config.types.Password(
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"admin\" password=\"hunter2\";"));
    assertThat(answer).singleElement().satisfies(v -> assertThat(v.value()).isNull());
    assertThat(answer.get(0).errorMessages()).noneMatch(m -> m.contains("hunter2")).hasSize(1);
    assertThat(KafkaDrConnectorClientConfigOverridePolicy.text(String.class))
        .isEqualTo("java.lang.String");
  }

  @Test
  void settingsKafkaDrNeverRendersAreRefusedEvenIfMm2sOwnClientsMayHaveThem() {
    assertThat(errors("producer.override.ssl.endpoint.identification.algorithm", "")).hasSize(1);
    assertThat(errors("producer.override.ssl.truststore.type", "JKS")).hasSize(1);
  }

  @Test
  void noOverrideNothingToSay() {
    assertThat(
            POLICY.validate(
                new ConnectorClientConfigRequest(
                    "c",
                    ConnectorType.SOURCE,
                    MirrorSourceConnector.class,
                    Map.of(),
                    ClientType.PRODUCER)))
        .isEmpty();
  }
}
