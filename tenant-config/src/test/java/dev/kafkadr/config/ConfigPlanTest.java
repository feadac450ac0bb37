package dev.kafkadr.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.apply.ConfigPlan;
import dev.kafkadr.config.apply.ConnectorChange.Action;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigPlanTest {

  private static final Map<String, String> A =
      Map.of("connector.class", "X", "kdr.tenant.topics.include", "a\\..*");

  @Test
  void createsUpdatesDeletesAndLeavesAlone() {
    Map<String, Map<String, String>> desired =
        Map.of(
            "a.p-to-s.source", A,
            "b.p-to-s.source", Map.of("connector.class", "X", "tasks.max", "4"),
            "c.p-to-s.source", Map.of("connector.class", "X"));
    Map<String, Map<String, String>> current =
        Map.of(
            "a.p-to-s.source", withName(A, "a.p-to-s.source"),
            "b.p-to-s.source",
                Map.of("name", "b.p-to-s.source", "connector.class", "X", "tasks.max", "2"),
            "gone.p-to-s.heartbeat", Map.of("connector.class", "Y"),
            "someone-elses-connector", Map.of("connector.class", "Z"));

    ConfigPlan plan = ConfigPlan.of(desired, current);

    assertThat(plan.of(Action.CREATE)).extracting(c -> c.name()).containsExactly("c.p-to-s.source");
    assertThat(plan.of(Action.UPDATE))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.name()).isEqualTo("b.p-to-s.source");
              assertThat(c.keys()).containsOnlyKeys("tasks.max");
            });
    assertThat(plan.of(Action.DELETE))
        .extracting(c -> c.name())
        .containsExactly("gone.p-to-s.heartbeat");
    assertThat(plan.of(Action.UNCHANGED))
        .extracting(c -> c.name())
        .containsExactly("a.p-to-s.source");
    assertThat(plan.describe())
        .contains(
            "~ update b.p-to-s.source",
            "tasks.max: \"2\" -> \"4\"",
            "1 to create, 1 to update, 1 to delete, 1 unchanged")
        .doesNotContain("someone-elses-connector");
    assertThat(plan.isEmpty()).isFalse();
  }

  @Test
  void theReverseOfADeclaredFlowIsKeptAndEverythingElseOfKafkaDrsDeleted() {
    Map<String, Map<String, String>> desired =
        Map.of("a.p-to-s.source", A, "a.p-to-s.checkpoint", Map.of("connector.class", "C"));
    Map<String, Map<String, String>> current =
        Map.of(
            "a.p-to-s.source", withName(A, "a.p-to-s.source"),
            "a.p-to-s.checkpoint", Map.of("name", "a.p-to-s.checkpoint", "connector.class", "C"),
            // started by a switchover: the way back
            "a.s-to-p.source", Map.of("connector.class", "X"),
            // a tenant no longer in the file, in either direction
            "b.s-to-p.source", Map.of("connector.class", "X"),
            // the reverse of a connector kind the file does not declare for the flow
            "a.s-to-p.heartbeat", Map.of("connector.class", "H"));

    ConfigPlan plan = ConfigPlan.of(desired, current);

    assertThat(plan.of(Action.KEPT)).extracting(c -> c.name()).containsExactly("a.s-to-p.source");
    assertThat(plan.of(Action.DELETE))
        .extracting(c -> c.name())
        .containsExactly("a.s-to-p.heartbeat", "b.s-to-p.source");
    assertThat(plan.describe())
        .contains(
            "= keep   a.s-to-p.source (not in the file: the way back a switchover or a reconcile",
            "0 to create, 0 to update, 2 to delete, 2 unchanged",
            "1 reverse flow connector(s) kept");
  }

  @Test
  void keptReverseFlowsAloneAreAnEmptyPlan() {
    assertThat(
            ConfigPlan.of(
                    Map.of("a.p-to-s.source", A),
                    Map.of(
                        "a.p-to-s.source",
                        withName(A, "a.p-to-s.source"),
                        "a.s-to-p.source",
                        Map.of("connector.class", "X")))
                .isEmpty())
        .isTrue();
  }

  @Test
  void anIdenticalClusterIsAnEmptyPlan() {
    assertThat(
            ConfigPlan.of(
                    Map.of("a.p-to-s.source", A),
                    Map.of("a.p-to-s.source", withName(A, "a.p-to-s.source")))
                .isEmpty())
        .isTrue();
  }

  @Test
  void secretValuesAreNeverShownButReferencesAre() {
    ConfigPlan plan =
        ConfigPlan.of(
            Map.of(
                "a.p-to-s.source",
                Map.of(
                    "source.cluster.ssl.truststore.password",
                    "${env:NEW}",
                    "source.cluster.sasl.jaas.config",
                    "ScramLoginModule required password=\"canary-7f3a\";")),
            Map.of(
                "a.p-to-s.source",
                Map.of("source.cluster.ssl.truststore.password", "plain-canary-91b2")));

    assertThat(plan.describe())
        .contains("${env:NEW}", "(secret, 17 chars)")
        .doesNotContain("plain-canary-91b2", "canary-7f3a");
  }

  @Test
  void aConnectorWantedOnAnotherConnectClusterIsMovedNotCreatedAgain() {
    Map<String, String> eos = new java.util.HashMap<>(A);
    eos.put("exactly.once.support", "required");
    ConfigPlan plan =
        ConfigPlan.across(
            Map.of(
                "default", Map.of("b.p-to-s.source", A),
                "eos", Map.of("a.p-to-s.source", eos, "a.p-to-s.heartbeat", A)),
            Map.of(
                "default",
                    Map.of(
                        "a.p-to-s.source", withName(A, "a.p-to-s.source"),
                        "a.p-to-s.heartbeat", withName(A, "a.p-to-s.heartbeat"),
                        "b.p-to-s.source", withName(A, "b.p-to-s.source")),
                "eos", Map.of("gone.p-to-s.source", A)));

    assertThat(plan.of(Action.MOVE))
        .extracting(c -> c.name() + " " + c.from() + "->" + c.cluster())
        .containsExactlyInAnyOrder(
            "a.p-to-s.source default->eos", "a.p-to-s.heartbeat default->eos");
    assertThat(plan.of(Action.DELETE))
        .extracting(c -> c.name() + " on " + c.cluster())
        .containsExactly("gone.p-to-s.source on eos");
    assertThat(plan.of(Action.UNCHANGED))
        .extracting(c -> c.name())
        .containsExactly("b.p-to-s.source");
    assertThat(plan.describe())
        .contains(
            "> move   a.p-to-s.source from Connect cluster default to eos (stopped there, its"
                + " source offsets carried over, resumed here)",
            "exactly.once.support: (absent) -> \"required\"",
            "- delete gone.p-to-s.source on Connect cluster eos",
            "2 to move between Connect clusters");
  }

  private static Map<String, String> withName(Map<String, String> config, String name) {
    Map<String, String> out = new java.util.HashMap<>(config);
    out.put("name", name);
    return out;
  }
}
