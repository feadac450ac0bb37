package dev.kafkadr.controller.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.StackDescription;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
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
