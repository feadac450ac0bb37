package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TenantPoliciesAndFiltersTest {

  private static final Map<String, String> ACME =
      Map.of(
          TenantConfig.TENANT_ID, "acme",
          TenantConfig.TOPICS_INCLUDE, "acme.*",
          TenantConfig.TOPICS_EXCLUDE, "acme\\.tmp\\..*",
          TenantConfig.GROUPS_INCLUDE, "acme-.*",
          TenantConfig.OTHERS_TOPICS, "acme-eu\\..*",
          TenantConfig.OTHERS_GROUPS, "acme-eu-.*");

  private static TenantReplicationPolicy policy(String naming) {
    TenantReplicationPolicy policy = new TenantReplicationPolicy();
    policy.configure(Map.of(TenantConfig.NAMING, naming, "source.cluster.alias", "primary"));
    return policy;
  }

  @Test
  void prefixedNamingIsMirrorMakersDefault() {
    TenantReplicationPolicy p = policy("prefixed");

    assertThat(p.formatRemoteTopic("primary", "acme.orders")).isEqualTo("primary.acme.orders");
    assertThat(p.topicSource("primary.acme.orders")).isEqualTo("primary");
    assertThat(p.upstreamTopic("primary.acme.orders")).isEqualTo("acme.orders");
    assertThat(p.checkpointsTopic("primary")).isEqualTo("primary.checkpoints.internal");
    assertThat(p.isInternalTopic("mm2-offset-syncs.secondary.internal")).isTrue();
  }

  @Test
  void identicalNamingKeepsNamesButStillPrefixesHeartbeats() {
    TenantReplicationPolicy p = policy("IDENTICAL");

    assertThat(p.formatRemoteTopic("primary", "acme.orders")).isEqualTo("acme.orders");
    assertThat(p.formatRemoteTopic("primary", "heartbeats")).isEqualTo("primary.heartbeats");
    assertThat(p.topicSource("primary.heartbeats")).isEqualTo("primary");
    assertThat(p.upstreamTopic("acme.orders")).isEqualTo("acme.orders");
    assertThat(p.checkpointsTopic("primary")).isEqualTo("primary.checkpoints.internal");
    assertThat(p.isCheckpointsTopic("primary.checkpoints.internal")).isTrue();
  }

  @Test
  void anUnknownNamingModeNamesTheKey() {
    assertThatThrownBy(() -> policy("mirrored"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(TenantConfig.NAMING)
        .hasMessageContaining("mirrored");
  }

  @Test
  void topicFilterTakesOnlyTheTenantsTopicsEvenWhenItsPatternsReachFurther() {
    TenantTopicFilter filter = new TenantTopicFilter();
    filter.configure(ACME);

    assertThat(filter.shouldReplicateTopic("acme.orders")).isTrue();
    assertThat(filter.shouldReplicateTopic("acme-eu.orders"))
        .as("another tenant's topic")
        .isFalse();
    assertThat(filter.shouldReplicateTopic("acme.tmp.scratch")).as("excluded").isFalse();
    assertThat(filter.shouldReplicateTopic("acme.checkpoints.internal")).as("internal").isFalse();
    assertThat(filter.shouldReplicateTopic("other.orders")).isFalse();
  }

  @Test
  void groupFilterTakesOnlyTheTenantsGroups() {
    TenantGroupFilter filter = new TenantGroupFilter();
    filter.configure(ACME);

    assertThat(filter.shouldReplicateGroup("acme-billing")).isTrue();
    assertThat(filter.shouldReplicateGroup("acme-eu-billing")).isFalse();
    assertThat(filter.shouldReplicateGroup("billing")).isFalse();
  }

  /**
   * Inside a shared Connect worker the filter runs a tenant's pattern against every topic name of
   * the cluster: one that backtracks in Java's engine (seconds for 31 characters) matches the
   * longest legal name in linear time with RE2/J.
   */
  @Test
  void aBacktrackingPatternFiltersTheLongestTopicNameInLinearTime() {
    TenantTopicFilter filter = new TenantTopicFilter();
    filter.configure(
        Map.of(TenantConfig.TENANT_ID, "slow", TenantConfig.TOPICS_INCLUDE, "(.*a){12}"));
    String name = "a".repeat(11) + "b".repeat(238);
    filter.shouldReplicateTopic(name);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      assertThat(filter.shouldReplicateTopic(name)).isFalse();
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf(
        "plugin topic filter, pattern (.*a){12}, 249-character topic name: %.3f ms%n", best / 1e6);
    assertThat(best).isLessThan(10_000_000L);
  }

  @Test
  void filtersRefuseBadPatternsNamingTheKey() {
    TenantTopicFilter filter = new TenantTopicFilter();

    assertThatThrownBy(
            () ->
                filter.configure(
                    Map.of(TenantConfig.TENANT_ID, "acme", TenantConfig.TOPICS_INCLUDE, "acme.(")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "kdr.tenant.topics.include[0]: pattern \"acme.(\" is not accepted by RE2");
  }
}
