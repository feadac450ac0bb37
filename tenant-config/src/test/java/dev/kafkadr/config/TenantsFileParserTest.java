package dev.kafkadr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.kafkadr.tenant.NamingMode;
import dev.kafkadr.tenant.Problem;
import dev.kafkadr.tenant.TenantConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class TenantsFileParserTest {

  private static final Path EXAMPLES = Path.of("..", "configs", "examples");
  private static final Path CORPUS = Path.of("src", "test", "resources", "tenants");

  @TestFactory
  Stream<DynamicTest> everyShippedExampleIsValid() throws IOException {
    List<Path> files = list(EXAMPLES);
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("active-passive.yaml", "active-active.yaml", "onprem-to-msk.yaml");
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      TenantsFile file = TenantsFileParser.parse(f);
                      assertThat(file.clusters()).isNotEmpty();
                      assertThat(file.flows()).isNotEmpty();
                      assertThat(file.tenants()).isNotEmpty();
                    }));
  }

  /** Each corpus file names, in "# expect:" lines, problems that must all be reported. */
  @TestFactory
  Stream<DynamicTest> everyBrokenOrMaliciousFileIsRejectedWithItsPaths() throws IOException {
    List<Path> files = list(CORPUS);
    assertThat(files).hasSizeGreaterThanOrEqualTo(9);
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      List<String> expected =
                          Files.readAllLines(f).stream()
                              .filter(l -> l.startsWith("# expect: "))
                              .map(l -> l.substring("# expect: ".length()))
                              .toList();
                      assertThat(expected).as("expectations in " + f).isNotEmpty();
                      try {
                        TenantsFileParser.parse(Files.readString(f), f.getFileName().toString());
                        fail(f + " was accepted");
                      } catch (TenantConfigException e) {
                        List<String> reported =
                            e.problems().stream().map(Problem::toString).toList();
                        for (String line : expected) {
                          assertThat(reported)
                              .as("problems reported for " + f)
                              .anySatisfy(p -> assertThat(p).startsWith(line));
                        }
                      }
                    }));
  }

  @Test
  void readsWhatAnMskClusterIsMadeOf() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("onprem-to-msk.yaml"));
    assertThat(file.cluster("msk").msk()).isEqualTo(new MskCapacity("kafka.m7g.large", 3));
    assertThat(file.cluster("msk").msk().partitionLimit())
        .hasValue(new MskCapacity.PartitionLimit(1000, 1500));
    assertThat(file.cluster("onprem").msk()).isNull();
  }

  @Test
  void readsAScheduledDrillWithItsZoneAndWindow() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml"));
    DrillSchedule d = file.drills().get("payments").get(0);
    assertThat(d.id()).isEqualTo("payments#0");
    assertThat(d.kind()).isEqualTo("verify");
    assertThat(d.window()).isEqualTo("02:00-05:00 Europe/Berlin");
    java.time.Instant noon = java.time.Instant.parse("2026-11-29T12:00:00Z");
    // 03:00 in Berlin is 02:00 UTC in winter
    assertThat(d.next(noon)).contains(java.time.Instant.parse("2026-11-30T02:00:00Z"));
    assertThat(d.last(noon)).contains(java.time.Instant.parse("2026-11-29T02:00:00Z"));
    assertThat(d.inWindow(java.time.Instant.parse("2026-11-29T02:30:00Z"))).isTrue();
    assertThat(d.inWindow(noon)).isFalse();
    assertThat(file.drills()).doesNotContainKey("orders");
    DrillSchedule wraps =
        new DrillSchedule(
            "t",
            0,
            "verify",
            "0 0 * * * ?",
            java.time.ZoneOffset.UTC,
            java.time.LocalTime.of(22, 0),
            java.time.LocalTime.of(2, 0));
    assertThat(wraps.inWindow(java.time.Instant.parse("2026-11-29T23:30:00Z"))).isTrue();
    assertThat(wraps.inWindow(java.time.Instant.parse("2026-11-29T01:59:00Z"))).isTrue();
    assertThat(wraps.inWindow(java.time.Instant.parse("2026-11-29T02:00:00Z"))).isFalse();
  }

  @Test
  void readsAnAutomaticFailoverPolicyWithItsDefaultsAndClusterRegions() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml"));
    AutoFailover payments = file.failover("payments");
    assertThat(payments.automatic()).isTrue();
    assertThat(payments.after()).isEqualTo(Duration.ofSeconds(30));
    assertThat(payments.maxDataAtRisk(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(20));
    assertThat(payments.coolDown()).isEqualTo(Duration.ofHours(1));
    assertThat(payments.fenceOnStoreLoss()).isTrue();
    AutoFailover orders = file.failover("orders");
    assertThat(orders.automatic()).as("off without an entry").isFalse();
    assertThat(orders.maxDataAtRisk(Duration.ofMinutes(1)))
        .as("the RPO by default")
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(file.cluster("eu-west-1").region()).isEqualTo("eu-west-1");
    assertThat(file.cluster("eu-central-1").region())
        .as("the alias by default")
        .isEqualTo("eu-central-1");
  }

  @Test
  void readsTheActiveActiveExample() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-active.yaml"));

    assertThat(file.flows()).extracting(FlowSpec::source).containsExactly("us-east-1", "us-west-2");
    assertThat(file.tenants())
        .singleElement()
        .satisfies(t -> assertThat(t.naming()).isEqualTo(NamingMode.IDENTICAL));
    assertThat(file.clusters().get(0).security())
        .containsEntry("truststore.password", "${env:KDR_TRUSTSTORE_PASSWORD}");
  }

  @Test
  void environmentsAllowADeclaredProdToNonProdCopyAndAnyCopyIntoProd() {
    String file =
        String.join(
            "\n",
            "clusters:",
            "  - {alias: prod-eu, bootstrap: \"a:9092\", environment: prod}",
            "  - {alias: prod-us, bootstrap: \"b:9092\", environment: prod}",
            "  - {alias: test-us, bootstrap: \"c:9092\", environment: test}",
            "flows:",
            "  - {source: prod-eu, target: prod-us, tenants: [pay]}",
            "  - {source: prod-eu, target: test-us, tenants: [pay], allowProdToNonProd: true}",
            "  - {source: test-us, target: prod-us, tenants: [qa]}",
            "tenants:",
            "  - {id: pay, environment: prod, topics: {include: [\"pay\\\\..*\"]}, rpo: 30s, rto: 5m}",
            "  - {id: qa, environment: test, topics: {include: [\"qa\\\\..*\"]}, rpo: 30s, rto: 5m}",
            "");
    TenantsFile parsed = TenantsFileParser.parse(file, "envs.yaml");
    assertThat(parsed.flows()).hasSize(3);
  }

  @Test
  void keepsAllowedOverridesAsStrings() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml"));

    assertThat(file.overrides().get("orders"))
        .containsEntry("tasks.max", "4")
        .containsEntry("producer.override.compression.type", "zstd");
  }

  @Test
  void aMissingFileIsOneProblemNamingIt() {
    assertThatThrownBy(() -> TenantsFileParser.parse(Path.of("no-such-tenants.yaml")))
        .isInstanceOf(TenantConfigException.class)
        .hasMessageContaining("no-such-tenants.yaml: cannot be read");
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void trafficSettingsAreReadWithTheirDefaults() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml"));
    Traffic.DnsProvider dns = file.traffic().dns().get("corp-dns");
    assertThat(dns.type()).isEqualTo(Traffic.DnsType.RFC2136);
    assertThat(dns.server()).isEqualTo("ns1.example.internal:53");
    assertThat(dns.tsigSecret()).isEqualTo("${file:/etc/kafka-dr/secrets.properties:tsig.secret}");
    assertThat(file.traffic().tenant("payments"))
        .contains(
            new Traffic.TenantTraffic(
                "payments",
                "corp-dns",
                "payments.kafka.example.internal.",
                Duration.ofSeconds(30)));
    assertThat(file.traffic().tenant("orders")).isEmpty();
    assertThat(file.traffic().dnsTarget(file.cluster("eu-central-1")))
        .isEqualTo("kafka.eu-central-1.example.internal.");

    TenantsFile msk = TenantsFileParser.parse(EXAMPLES.resolve("onprem-to-msk.yaml"));
    assertThat(msk.traffic().dns().get("route53").routing()).isEqualTo(Traffic.Routing.WEIGHTED);
    assertThat(msk.traffic().clusters().get("msk").msk().auth()).isEqualTo("IAM");
    // without a dnsTarget, the host of the cluster's first bootstrap server
    assertThat(msk.traffic().dnsTarget(msk.cluster("msk")))
        .isEqualTo("b-1.shared.abc123.c2.kafka.eu-west-1.amazonaws.com.");
  }

  @Test
  void aPlaintextTsigSecretIsRefusedWithoutBeingEchoed() throws IOException {
    String text = Files.readString(CORPUS.resolve("bad-traffic.yaml"));
    assertThatThrownBy(() -> TenantsFileParser.parse(text, "bad-traffic.yaml"))
        .isInstanceOf(TenantConfigException.class)
        .hasMessageContaining("tsig.secret")
        .hasMessageNotContaining("c2VjcmV0");
  }

  @Test
  void credentialsInAConnectUrlAreRefusedWithoutBeingEchoed() throws IOException {
    String text = Files.readString(CORPUS.resolve("bad-exactly-once.yaml"));
    assertThatThrownBy(() -> TenantsFileParser.parse(text, "bad-exactly-once.yaml"))
        .isInstanceOf(TenantConfigException.class)
        .hasMessageContaining("connectClusters[0].url")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("admin:");
  }

  @Test
  void anExactlyOnceTenantRunsOnItsDeclaredClusterAndTheOthersOnTheDefaultOne() {
    TenantsFile file = TenantsFileParser.parse(EXAMPLES.resolve("active-passive.yaml"));

    assertThat(file.connect().clusters())
        .containsExactly(
            Map.entry(
                "eos",
                new ConnectClusterSpec(
                    "eos",
                    "http://connect-eos.eu-central-1.example.internal:8083",
                    ExactlyOnceSource.ENABLED)));
    assertThat(file.connect().of("payments"))
        .isEqualTo(new ConnectPlacement.Placement("eos", Delivery.EXACTLY_ONCE));
    assertThat(file.connect().of("orders")).isEqualTo(ConnectPlacement.Placement.DEFAULT);
    assertThat(file.connect().clusterOf("orders")).isEmpty();
  }
}
