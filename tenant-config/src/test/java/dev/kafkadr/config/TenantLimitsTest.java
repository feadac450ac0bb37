package dev.kafkadr.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.apply.AclPlan;
import dev.kafkadr.config.apply.QuotaPlan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

/** Per-tenant limits: quotas and ACLs read from a tenants file, and what plans make of them. */
class TenantLimitsTest {

  private static final String FILE =
      String.join(
          "\n",
          "clusters: [{alias: a, bootstrap: \"a:9092\"}, {alias: b, bootstrap: \"b:9092\"}]",
          "flows: [{source: a, target: b, tenants: [pay, web]}, {source: b, target: a, tenants: [web]}]",
          "tenants:",
          "  - id: pay",
          "    platform: true",
          "    topics: {include: [\"payments\\\\..*\", \"ledger\"]}",
          "    groups: {include: [\"pay-.*\"]}",
          "    rpo: 30s",
          "    rto: 5m",
          "    quota: {bytesPerSecond: 8MiB}",
          "    access:",
          "      - {principal: \"User:pay-reader\", role: consumer}",
          "      - {principal: \"User:pay-writer\", role: producer}",
          "  - id: web",
          "    topics: {include: [\"web\\\\..*\"]}",
          "    naming: identical",
          "    rpo: 30s",
          "    rto: 5m",
          "    quota: {bytesPerSecond: 524288}",
          "");

  private final TenantsFile file = TenantsFileParser.parse(FILE, "limits.yaml");

  @Test
  void quotasAreReadWithUnits() {
    assertThat(file.quotas()).containsEntry("pay", 8L << 20).containsEntry("web", 512L << 10);
  }

  @Test
  void everyFlowOfATenantGetsAProducerQuotaOnItsTargetAndAConsumerQuotaOnItsSource() {
    Map<String, Map<String, Map<String, Double>>> desired = QuotaPlan.desired(file);

    assertThat(desired.get("b"))
        .containsEntry("kdr.pay.a-to-b", Map.of("producer_byte_rate", 8.0 * (1 << 20)))
        .containsEntry("kdr.web.a-to-b", Map.of("producer_byte_rate", 512.0 * 1024))
        .containsEntry(
            "kdr.web.b-to-a|b->a|web.b-to-a.source|replication-consumer",
            Map.of("consumer_byte_rate", 512.0 * 1024));
    assertThat(desired.get("a"))
        .containsKey("kdr.web.b-to-a")
        .containsKey("kdr.pay.a-to-b|a->b|pay.a-to-b.source|replication-consumer");
  }

  @Test
  void aQuotaPlanSetsChangesAndRemovesOnlyWhatDiffers() {
    Map<String, Map<String, Map<String, Double>>> current =
        Map.of(
            "b",
            Map.of(
                "kdr.pay.a-to-b", Map.of("producer_byte_rate", 1.0 * 1024),
                "kdr.gone.a-to-b", Map.of("producer_byte_rate", 1.0 * 1024)));

    QuotaPlan plan = QuotaPlan.of(QuotaPlan.desired(file), current);

    assertThat(plan.describe())
        .contains("~ set quota producer_byte_rate on b for kdr.pay.a-to-b: 1 KiB/s -> 8 MiB/s")
        .contains("- remove quota producer_byte_rate on b for kdr.gone.a-to-b: 1 KiB/s -> none")
        .contains("quotas: 6 to set, 1 to remove");
    assertThat(QuotaPlan.of(QuotaPlan.desired(file), QuotaPlan.desired(file)).isEmpty()).isTrue();
  }

  @Test
  void consumersReadLocalAndCopiedTopicsAndUseGroupsProducersWriteLocalTopics() {
    Set<String> onB =
        TenantAcls.desired(file).get("b").stream()
            .map(TenantAcls::describe)
            .collect(java.util.stream.Collectors.toSet());

    assertThat(onB)
        .contains(
            "User:pay-reader ALLOW READ on TOPIC PREFIXED \"payments.\"",
            "User:pay-reader ALLOW READ on TOPIC PREFIXED \"a.payments.\"",
            "User:pay-reader ALLOW READ on TOPIC LITERAL \"a.ledger\"",
            "User:pay-reader ALLOW READ on GROUP PREFIXED \"pay-\"",
            "User:pay-writer ALLOW WRITE on TOPIC LITERAL \"ledger\"",
            "User:pay-writer ALLOW DESCRIBE on TOPIC PREFIXED \"payments.\"")
        .noneMatch(s -> s.startsWith("User:pay-writer ALLOW READ"));
    assertThat(TenantAcls.desired(file).get("a")).isEmpty();
  }

  @Test
  void anAclPlanCreatesWhatIsMissingAndLeavesExtrasInPlace() {
    Map<String, Set<AclBinding>> desired = TenantAcls.desired(file);
    AclBinding one = desired.get("b").iterator().next();
    AclBinding extra = TenantAcls.desired(file).get("b").stream().skip(1).findFirst().orElseThrow();
    Map<String, Set<AclBinding>> current = Map.of("b", Set.of(one));
    Map<String, Set<AclBinding>> wantedLess = Map.of("b", Set.of(one), "a", Set.of());

    AclPlan plan = AclPlan.of(desired, current);
    assertThat(plan.missing()).hasSize(desired.get("b").size() - 1);
    assertThat(plan.extra()).isEmpty();

    AclPlan shrunk = AclPlan.of(wantedLess, Map.of("b", Set.of(one, extra)));
    assertThat(shrunk.isEmpty()).isTrue();
    assertThat(shrunk.describe()).contains("not in the file, left in place");
    assertThat(List.copyOf(shrunk.extra()))
        .extracting(AclPlan.Entry::binding)
        .containsExactly(extra);
  }

  @Test
  void literalNamesAndPrefixesAreRecognisedAndOtherPatternsAreNot() {
    assertThat(TenantAcls.literal("payments\\.orders")).isEqualTo("payments.orders");
    assertThat(TenantAcls.literal("click_stream-1")).isEqualTo("click_stream-1");
    assertThat(TenantAcls.literal("payments\\..*")).isNull();
    assertThat(TenantAcls.literal("a|b")).isNull();
    assertThat(TenantAcls.literal("")).isNull();
  }
}
