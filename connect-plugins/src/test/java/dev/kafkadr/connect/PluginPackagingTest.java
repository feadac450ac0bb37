package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;

class PluginPackagingTest {

  @Test
  void everyServiceManifestEntryIsAPublicPluginOfThatType() throws Exception {
    for (Class<?> service :
        List.of(
            SourceConnector.class, Transformation.class, Predicate.class, ConfigProvider.class)) {
      List<String> entries = manifest(service);
      assertThat(entries).as(service.getName()).isNotEmpty();
      for (String entry : entries) {
        Class<?> plugin = Class.forName(entry);
        assertThat(service).isAssignableFrom(plugin);
        assertThat(plugin.getConstructor()).isNotNull();
      }
    }
    assertThat(manifest(SourceConnector.class))
        .containsExactlyInAnyOrder(
            TenantMirrorSourceConnector.class.getName(),
            TenantMirrorCheckpointConnector.class.getName());
    assertThat(manifest(Transformation.class)).containsExactly(ProvenanceHeaders.class.getName());
    assertThat(manifest(Predicate.class)).containsExactly(OriginIs.class.getName());
    assertThat(manifest(ConfigProvider.class)).containsExactly(KdrConfigProvider.class.getName());
  }

  @Test
  void everyConfigKeyIsDocumentedInItsDefinitionAndInTheReadme() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Map<String, ConfigDef> defs =
        Map.of(
            "tenant",
            TenantConfig.DEF,
            "provenance",
            ProvenanceHeaders.CONFIG_DEF,
            "origin",
            OriginIs.CONFIG_DEF);
    defs.forEach(
        (name, def) ->
            def.configKeys()
                .values()
                .forEach(
                    key -> {
                      assertThat(key.documentation).as(name + " " + key.name).isNotBlank();
                      assertThat(readme)
                          .as("README documents " + key.name)
                          .contains("`" + key.name + "`");
                    }));
  }

  @Test
  void tenantConnectorsDeclareTheirKeysAndReportBadOnesByKey() {
    TenantMirrorSourceConnector connector = new TenantMirrorSourceConnector();
    assertThat(connector.config().names())
        .contains(TenantConfig.TENANT_ID, TenantConfig.TOPICS_INCLUDE, "source.cluster.alias");

    Config result =
        connector.validate(
            Map.of(
                "source.cluster.alias",
                "primary",
                "target.cluster.alias",
                "secondary",
                "source.cluster.bootstrap.servers",
                "127.0.0.1:1",
                "target.cluster.bootstrap.servers",
                "127.0.0.1:2",
                TenantConfig.TENANT_ID,
                "Acme",
                TenantConfig.TOPICS_INCLUDE,
                "acme.("));

    assertThat(errors(result, TenantConfig.TOPICS_INCLUDE))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("kdr.tenant.topics.include[0]")
                    .contains("is not accepted by RE2"));
    assertThat(errors(result, TenantConfig.TENANT_ID))
        .anySatisfy(m -> assertThat(m).contains("\"Acme\" must match"));
    assertThat(connector.version()).isEqualTo(KdrVersion.get());
  }

  private static List<String> errors(Config config, String key) {
    return config.configValues().stream()
        .filter(v -> v.name().equals(key))
        .findFirst()
        .map(ConfigValue::errorMessages)
        .orElse(List.of());
  }

  private static List<String> manifest(Class<?> service) throws IOException {
    try (InputStream in =
        PluginPackagingTest.class.getResourceAsStream("/META-INF/services/" + service.getName())) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    }
  }
}
