package dev.kafkadr.controller.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.controller.registry.BootstrapRegistry;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.StackDescription;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** RFC 2136 switching against the sandbox's real BIND, including the ways it is refused. */
class Rfc2136SwitcherIT {

  private static Sandbox sandbox;
  private static StackDescription.Dns dns;
  private static TsigKey key;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().requireDns().connectWorkers(0).start();
    dns = sandbox.dns().orElseThrow();
    key = TsigKey.fromBindKeyFile(Path.of(dns.tsigKeyFile()));
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  private static Rfc2136Switcher switcher(TsigKey withKey) {
    return new Rfc2136Switcher(dns.host(), dns.port(), dns.zone(), withKey, Duration.ofSeconds(5));
  }

  @Test
  void switchesABootstrapNameAndItResolvesToTheNewCluster() throws Exception {
    Rfc2136Switcher switcher = switcher(key);
    String name = "acme-bootstrap." + dns.zone();

    switcher.pointTo(name, "primary-bootstrap." + dns.zone(), Duration.ofSeconds(30));
    assertThat(resolve(name)).isEqualTo("primary-bootstrap." + dns.zone());

    switcher.pointTo(name, "secondary-bootstrap." + dns.zone(), Duration.ofSeconds(5));
    assertThat(resolve(name)).isEqualTo("secondary-bootstrap." + dns.zone());
    assertThat(ttl(name)).isEqualTo(5);
    assertThat(switcher.current(name)).contains("secondary-bootstrap." + dns.zone());
  }

  /**
   * A switch conditioned on the value read before it (an RFC 2136 prerequisite): made when the
   * record still holds it, refused and nothing changed when another switch came first, the same for
   * a name expected to have no CNAME.
   */
  @Test
  void aSwitchIsMadeOnlyIfTheRecordStillHoldsWhatWasReadBeforeIt() throws Exception {
    String name = "delta-bootstrap." + dns.zone();
    String primary = "primary-bootstrap." + dns.zone();
    String secondary = "secondary-bootstrap." + dns.zone();
    Rfc2136Switcher switcher = switcher(key);
    switcher.pointTo(name, primary, Duration.ofSeconds(30), Optional.empty());
    assertThat(switcher.current(name)).contains(primary);

    assertThatThrownBy(
            () -> switcher.pointTo(name, secondary, Duration.ofSeconds(30), Optional.of(secondary)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("it is no longer a CNAME of " + secondary)
        .hasMessageContaining("(now " + primary + "): another switch came first");
    assertThatThrownBy(
            () -> switcher.pointTo(name, secondary, Duration.ofSeconds(30), Optional.empty()))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("it is no longer without a CNAME");
    assertThat(resolve(name)).isEqualTo(primary);

    switcher.pointTo(name, secondary, Duration.ofSeconds(30), Optional.of(primary));
    assertThat(resolve(name)).isEqualTo(secondary);
  }

  @Test
  void aWrongSecretIsAClearErrorAndChangesNothing() throws Exception {
    String name = "beta-bootstrap." + dns.zone();
    switcher(key).pointTo(name, "primary-bootstrap." + dns.zone(), Duration.ofSeconds(30));
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    TsigKey wrong =
        new TsigKey(key.name(), key.algorithm(), Base64.getEncoder().encodeToString(other));

    assertThatThrownBy(
            () ->
                switcher(wrong)
                    .pointTo(name, "secondary-bootstrap." + dns.zone(), Duration.ofSeconds(30)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("update of " + name)
        .hasMessageContaining("not made")
        .hasMessageContaining("wrong secret for key \"" + key.name() + "\"")
        // Tried again by a workflow: each attempt reads the key anew (a rotation under way).
        .matches(e -> ((DnsSwitchException) e).transientFailure(), "a refused key may pass later")
        .message()
        .doesNotContain(wrong.secret())
        .doesNotContain(key.secret());
    assertThat(resolve(name)).isEqualTo("primary-bootstrap." + dns.zone());
  }

  @Test
  void anUnknownKeyAndANameOutsideTheZoneAreRefusedWithTheirReasons() {
    TsigKey unknown = new TsigKey("not-a-key.", key.algorithm(), key.secret());
    assertThatThrownBy(
            () ->
                switcher(unknown)
                    .pointTo(
                        "gamma-bootstrap." + dns.zone(), "x." + dns.zone(), Duration.ofSeconds(30)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("does not know TSIG key \"not-a-key.\"");

    assertThatThrownBy(
            () ->
                switcher(key)
                    .pointTo("acme.example.com.", "x." + dns.zone(), Duration.ofSeconds(30)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("acme.example.com. is not in zone " + dns.zone());
  }

  @Test
  void theKeyNeverShowsItsSecret() {
    assertThat(key.toString()).contains(key.name()).doesNotContain(key.secret());
    assertThat(switcher(key).describe()).doesNotContain(key.secret());
  }

  @Test
  void aTenantMovesByItsTenantsFileDnsFirstThenTheRegistryAndADryRunChangesNothing()
      throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("kdr-traffic");
    Path secrets = dir.resolve("secrets.properties");
    java.nio.file.Files.writeString(secrets, "tsig.secret=" + key.secret() + "\n");
    BootstrapRegistry registry =
        new BootstrapRegistry(
            tenantsFile(secrets),
            new dev.kafkadr.controller.store.LocalStateStore(dir.resolve("state")));
    TrafficSwitch traffic =
        new TrafficSwitch(tenantsFile(secrets), registry, DnsSwitchers.withDefaultCredentials());
    String record = "acme." + dns.zone();
    List<String> progress = new ArrayList<>();

    TrafficSwitch.Move planned = traffic.move("acme", "secondary", true, progress::add);
    assertThat(planned.steps())
        .anySatisfy(l -> assertThat(l).startsWith("dry run: would update " + record))
        .anySatisfy(l -> assertThat(l).startsWith("dry run: would move the bootstrap registry"));
    assertThat(planned.dnsChange()).isEmpty();
    assertThat(resolve(record)).isEqualTo("(none)");
    assertThat(registry.get("acme").orElseThrow().epoch()).isZero();

    TrafficSwitch.Move moved = traffic.move("acme", "secondary", false, progress::add);
    assertThat(resolve(record)).isEqualTo("kafka.secondary." + dns.zone());
    assertThat(ttl(record)).isEqualTo(7);
    assertThat(moved.dnsChange()).get().asString().startsWith("RFC 2136 update ");
    assertThat(moved.entry().cluster()).isEqualTo("secondary");
    assertThat(moved.entry().epoch()).isEqualTo(1);
    assertThat(String.join("\n", progress)).doesNotContain(key.secret());

    // a refused update stops the move before the registry changes
    java.nio.file.Files.writeString(secrets, "tsig.secret=" + wrongSecret() + "\n");
    TrafficSwitch refused =
        new TrafficSwitch(tenantsFile(secrets), registry, DnsSwitchers.withDefaultCredentials());
    assertThatThrownBy(() -> refused.move("acme", "primary", false, progress::add))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("wrong secret");
    assertThat(resolve(record)).isEqualTo("kafka.secondary." + dns.zone());
    assertThat(registry.get("acme").orElseThrow().cluster()).isEqualTo("secondary");
    assertThat(registry.get("acme").orElseThrow().epoch()).isEqualTo(1);
  }

  @Test
  void aDrillProbeWritesAndRemovesATxtRecordBesideTheBootstrapNameAndLeavesItAlone()
      throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("kdr-traffic-probe");
    Path secrets = dir.resolve("secrets.properties");
    java.nio.file.Files.writeString(secrets, "tsig.secret=" + key.secret() + "\n");
    TenantsFile file = tenantsFile(secrets);
    BootstrapRegistry registry =
        new BootstrapRegistry(
            file, new dev.kafkadr.controller.store.LocalStateStore(dir.resolve("state")));
    TrafficSwitch traffic =
        new TrafficSwitch(file, registry, DnsSwitchers.withDefaultCredentials());
    String record = "acme." + dns.zone();
    String before = resolve(record);
    List<String> progress = new ArrayList<>();

    TrafficSwitch.Probe probe = traffic.probe("acme", progress::add).orElseThrow();
    System.out.println("drill probe: " + probe);
    assertThat(probe.record()).isEqualTo("_kdr-drill." + record);
    assertThat(probe.written()).startsWith("RFC 2136 update ");
    assertThat(probe.removed()).startsWith("RFC 2136 update ");
    assertThat(switcher(key).txt(probe.record())).isEmpty();
    assertThat(resolve(record)).isEqualTo(before);
    assertThat(String.join("\n", progress)).doesNotContain(key.secret());

    // written and read back on its own: the provider really holds the value until removed
    switcher(key).writeTxt(probe.record(), "kdr-drill check", Duration.ofSeconds(60));
    assertThat(switcher(key).txt(probe.record())).containsExactly("kdr-drill check");
    switcher(key).deleteTxt(probe.record(), "kdr-drill check", Duration.ofSeconds(60));
    assertThat(switcher(key).txt(probe.record())).isEmpty();

    java.nio.file.Files.writeString(secrets, "tsig.secret=" + wrongSecret() + "\n");
    TrafficSwitch refused =
        new TrafficSwitch(tenantsFile(secrets), registry, DnsSwitchers.withDefaultCredentials());
    assertThatThrownBy(() -> refused.probe("acme", progress::add))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("wrong secret");
  }

  private static String wrongSecret() {
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    return Base64.getEncoder().encodeToString(other);
  }

  private static TenantsFile tenantsFile(Path secrets) {
    return TenantsFileParser.parse(
        String.join(
            "\n",
            "clusters:",
            "  - {alias: primary, bootstrap: \"primary.invalid:9092\"}",
            "  - {alias: secondary, bootstrap: \"secondary.invalid:9092\"}",
            "flows: [{source: primary, target: secondary, tenants: [acme]}]",
            "tenants:",
            "  - id: acme",
            "    topics: {include: [\"acme\\\\..*\"]}",
            "    rpo: 30s",
            "    rto: 5m",
            "    traffic: {dns: sandbox, record: acme." + dns.zone() + ", ttl: 7s}",
            "traffic:",
            dev.kafkadr.controller.DnsTenants.dnsProvider(dns, key, secrets).stripTrailing(),
            "  clusters:",
            "    primary: {dnsTarget: kafka.primary." + dns.zone() + "}",
            "    secondary: {dnsTarget: kafka.secondary." + dns.zone() + "}",
            ""),
        "traffic-test.yaml");
  }

  private static Optional<CNAMERecord> cname(String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(dns.host());
    resolver.setPort(dns.port());
    Message answer =
        resolver.send(
            Message.newQuery(Record.newRecord(Name.fromString(name), Type.CNAME, DClass.IN)));
    return answer.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof CNAMERecord)
        .map(r -> (CNAMERecord) r)
        .findFirst();
  }

  private static String resolve(String name) throws Exception {
    return cname(name).map(r -> r.getTarget().toString()).orElse("(none)");
  }

  private static long ttl(String name) throws Exception {
    return cname(name).map(Record::getTTL).orElse(-1L);
  }
}
