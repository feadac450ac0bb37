package dev.kafkadr.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrantsTest {

  @Test
  void aBareRoleOrStarHoldsForEveryTenant() {
    for (String text : List.of("viewer", "viewer@*", "  viewer  ")) {
      Grants g = Grants.parse(text);
      assertThat(g.reads("anyone")).as(text).isTrue();
      assertThat(g.readsEverything()).as(text).isTrue();
      assertThat(g.has("operator", "anyone")).as(text).isFalse();
      assertThat(g.roles()).as(text).containsExactlyInAnyOrder("viewer", Grants.READS_EVERYTHING);
    }
  }

  @Test
  void scopedRolesHoldForTheirTenantsOnly() {
    Grants g = Grants.parse("operator@payments-dev,orders viewer@payments-prod client@shop");

    assertThat(g.has("operator", "payments-dev")).isTrue();
    assertThat(g.has("operator", "orders")).isTrue();
    assertThat(g.has("operator", "payments-prod")).isFalse();
    assertThat(g.reads("payments-prod")).isTrue();
    assertThat(g.reads("shop")).isFalse();
    assertThat(g.readsBootstrap("shop")).isTrue();
    assertThat(g.readsBootstrap("other")).isFalse();
    assertThat(g.readsEverything()).isFalse();
    assertThat(g.roles()).containsExactlyInAnyOrder("operator", "viewer", "client");
    assertThat(g).hasToString("operator@payments-dev,orders viewer@payments-prod client@shop");
  }

  @Test
  void aTokensGroupsAreOneGrantEach() {
    Grants g = Grants.parse(List.of("viewer@a", "operator@b", ""));

    assertThat(g.reads("a")).isTrue();
    assertThat(g.has("operator", "b")).isTrue();
    assertThat(g.has("operator", "a")).isFalse();
  }

  @Test
  void wrongGrantsAreNamed() {
    assertThatThrownBy(() -> Grants.parse("admin@a"))
        .hasMessage("\"admin@a\": role must be one of [client, operator, viewer]");
    assertThatThrownBy(() -> Grants.parse("viewer@"))
        .hasMessage("\"viewer@\": after '@' comes '*' or tenant ids separated by commas, not \"\"");
    assertThatThrownBy(() -> Grants.parse("viewer@a,,b")).hasMessageContaining("not \"a,,b\"");
    assertThatThrownBy(() -> Grants.parse("  ")).hasMessage("no role given");
  }

  @Test
  void noGrantsReadNothing() {
    Grants g = Grants.none();
    assertThat(g.reads("a")).isFalse();
    assertThat(g.readsBootstrap("a")).isFalse();
    assertThat(g.roles()).isEmpty();
  }
}
