package dev.kafkadr.controller.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.tenant.Patterns;
import org.junit.jupiter.api.Test;

/**
 * The controller matches tenant patterns against every topic of a cluster each scan: a pattern that
 * backtracks in Java's engine matches the longest legal name in linear time (RE2/J), as the
 * controller compiles it from the tenants file.
 */
class TenantPatternTimeTest {

  @Test
  void aBacktrackingPatternOfAPlatformTenantIsMatchedInLinearTime() {
    var file =
        TenantsFileParser.parse(
            String.join(
                "\n",
                "clusters: [{alias: a, bootstrap: \"a:9092\"}, {alias: b, bootstrap: \"b:9092\"}]",
                "flows: [{source: a, target: b, tenants: [platform]}]",
                "tenants:",
                "  - id: platform",
                "    platform: true",
                "    topics: {include: [\"(.*a){12}\"]}",
                "    rpo: 30s",
                "    rto: 5m",
                ""),
            "slow.yaml");
    Patterns.Compiled p = file.tenants().get(0).topics().compile();
    String name = "a".repeat(11) + "b".repeat(238);
    p.matches(name);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      assertThat(p.matches(name)).isFalse();
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf(
        "controller, pattern (.*a){12}, 249-character topic name: %.3f ms%n", best / 1e6);
    assertThat(best).isLessThan(10_000_000L);
  }
}
