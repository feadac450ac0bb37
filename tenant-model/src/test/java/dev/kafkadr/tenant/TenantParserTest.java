package dev.kafkadr.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantParserTest {

  private static Map<String, Object> tenant(String id, String topic) {
    return Map.of(
        "id",
        id,
        "topics",
        Map.of("include", List.of(topic)),
        "groups",
        Map.of("include", List.of(id + "-.*")),
        "rpo",
        "30s",
        "rto",
        "5m");
  }

  @Test
  void parsesAValidTenantWithDefaults() {
    List<Tenant> tenants = TenantParser.parse(List.of(tenant("acme", "acme\\..*")), "tenants");

    assertThat(tenants)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo("acme");
              assertThat(t.naming()).isEqualTo(NamingMode.PREFIXED);
              assertThat(t.rpo()).isEqualTo(Duration.ofSeconds(30));
              assertThat(t.rto()).isEqualTo(Duration.ofMinutes(5));
              assertThat(t.topics().compile().matches("acme.orders")).isTrue();
              assertThat(t.topics().compile().matches("acme-eu.orders")).isFalse();
            });
  }

  @Test
  void reportsEveryProblemOfEveryTenantWithItsPath() {
    Object doc =
        List.of(
            Map.of(
                "id",
                "Bad_Id",
                "topics",
                Map.of("include", List.of("orders.(")),
                "rpo",
                "0s",
                "rto",
                "soon",
                "colour",
                "red"),
            Map.of(
                "id",
                "b",
                "topics",
                Map.of("include", List.of()),
                "naming",
                "mirrored",
                "rpo",
                "1m"),
            "not a tenant");

    assertThatThrownBy(() -> TenantParser.parse(doc, "tenants"))
        .isInstanceOfSatisfying(
            TenantConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::toString)
                    .anySatisfy(
                        p -> assertThat(p).startsWith("tenants[0].id: \"Bad_Id\" must match"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "tenants[0].topics.include[0]: pattern \"orders.(\" is not accepted by RE2"))
                    .anySatisfy(
                        p -> assertThat(p).isEqualTo("tenants[0].rpo: must be positive, was 0s"))
                    .anySatisfy(
                        p -> assertThat(p).startsWith("tenants[0].rto: \"soon\" is not a duration"))
                    .anySatisfy(p -> assertThat(p).startsWith("tenants[0].colour: unknown key"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .isEqualTo("tenants[1].topics.include: needs at least one pattern"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "tenants[1].naming: \"mirrored\" must be prefixed or identical"))
                    .anySatisfy(p -> assertThat(p).startsWith("tenants[1].rto: is missing"))
                    .anySatisfy(p -> assertThat(p).startsWith("tenants[2]: must be a mapping"))
                    .hasSize(9));
  }

  @Test
  void overlappingTenantsAreRejectedOnTheLaterPatternWithAnExample() {
    Object doc = List.of(tenant("acme", "acme.*"), tenant("acme-eu", "acme-eu\\..*"));

    assertThatThrownBy(() -> TenantParser.parse(doc, "tenants"))
        .isInstanceOf(TenantConfigException.class)
        .hasMessageContaining(
            "tenants[1].topics.include[0]: pattern \"acme-eu\\..*\" overlaps tenant \"acme\": both select topic \"acme-eu.\"")
        .hasMessageContaining("tenants[1].groups.include[0]");
  }

  @Test
  void duplicateIdsAreRejected() {
    Object doc = List.of(tenant("acme", "a\\..*"), tenant("acme", "b\\..*"));

    assertThatThrownBy(() -> TenantParser.parse(doc, "tenants"))
        .hasMessageContaining("tenants[1].id: \"acme\" is already the id of tenants[0]");
  }

  @Test
  void notAListIsOneClearProblem() {
    assertThatThrownBy(() -> TenantParser.parse(Map.of("id", "x"), "tenants"))
        .hasMessageContaining("tenants: must be a list of tenants, was a mapping");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("2h")).contains(Duration.ofHours(2));
    assertThat(Durations.parse("PT1M30S")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("ten")).isEmpty();
  }
}
