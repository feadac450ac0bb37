package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.testkit.apps.TenantLoad;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS server (BIND) stopped (SIGSTOP) during a switchover of a tenant whose clients find their
 * cluster through a CNAME, while the tenant's application writes and reads through the registry:
 * stopped past {@code kdr.workflow.dns-timeout}, the switchover tries again until then, rolls back
 * before its switch point and says why, and neither the registry nor the record moves; back within
 * it, the switchover finishes with the record and the registry moved together. The fault matrix's
 * row 10.
 */
@QuarkusTest
@QuarkusTestResource(value = DnsTenants.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsOutageIT {

  /** Records a second the tenant's application is asked to write. */
  private static final double RATE = 1_000;

  @Test
  @Order(1)
  void aDnsServerDownPastTheDnsTimeoutRollsTheSwitchoverBackAndNothingMoves() throws Exception {
    Optional<String> recordBefore = cname();
    long epochBefore = registry().getLong("epoch");
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load = load(watcher, "secondary")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 2_000);
      JsonPath done;
      long stopped = System.nanoTime();
      SandboxTenants.sandbox.pause(DnsTenants.dns().role());
      try {
        done = Api.awaitEnd(Api.start("shop", "switchover"));
      } finally {
        SandboxTenants.sandbox.resume(DnsTenants.dns().role());
      }
      double down = (System.nanoTime() - stopped) / 1e9;
      load.finish();

      assertThat(done.getString("state")).as(done.prettify()).isEqualTo("ROLLED_BACK");
      assertThat(done.getString("error"))
          .contains(
              "the DNS provider could not be reached in ",
              "(kdr.workflow.dns-timeout 12 s)",
              "rolled back, the tenant stays on primary");
      assertThat(done.getString("steps.find { it.name == 'switch-traffic' }.state"))
          .isEqualTo("FAILED");
      long tried = done.getLong("steps.find { it.name == 'switch-traffic' }.millis");
      assertThat(tried)
          .as("tried again for kdr.workflow.dns-timeout, plus at most one 10 s request")
          .isBetween(12_000L, 12_000L + 10_000L + 3_000L);
      assertThat(done.getString("steps.find { it.name == 'fence-producers' }.state"))
          .isEqualTo("COMPENSATED");
      // the registry never moved ahead of DNS: neither moved
      assertThat(registry().getString("cluster")).isEqualTo("primary");
      assertThat(registry().getLong("epoch")).isEqualTo(epochBefore);
      assertThat(cname()).isEqualTo(recordBefore);
      var verdict = load.verdict();
      assertThat(verdict.lost()).as(verdict.summary()).isZero();
      // the fence lifted without a switch: the records it held are sent again on the primary
      assertThat(verdict.failed() + verdict.unknown()).as(verdict.summary()).isZero();
      assertThat(verdict.outOfOrder()).as(verdict.summary()).isZero();
      assertThat(verdict.distinctRead()).as(verdict.summary()).isEqualTo(verdict.acknowledged());
      assertThat(load.firstProduced()).as("no record written on the secondary").isNull();
      System.out.printf(
          "DNS down %.1f s during a switchover: tried %.1f s (kdr.workflow.dns-timeout %s), rolled"
              + " back; registry epoch %d and record %s unchanged; clients: %s%n",
          down,
          tried / 1000.0,
          DnsTenants.DNS_TIMEOUT,
          epochBefore,
          recordBefore.orElse("(no CNAME)"),
          verdict.summary());
    }
  }

  @Test
  @Order(2)
  void aDnsServerBackWithinTheDnsTimeoutLetsTheSwitchoverFinish() throws Exception {
    long epochBefore = registry().getLong("epoch");
    try (RegistryWatcher watcher = SandboxTenants.watch("shop");
        TenantLoad load = load(watcher, "secondary")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= 2_000);
      String id;
      long stopped = System.nanoTime();
      SandboxTenants.sandbox.pause(DnsTenants.dns().role());
      double down;
      try {
        id = Api.start("shop", "switchover");
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    String.valueOf(
                            Api.viewer()
                                .get("/api/workflows/" + id)
                                .jsonPath()
                                .getString("steps.find { it.name == 'switch-traffic' }.progress"))
                        .startsWith("DNS attempt 1 failed"));
      } finally {
        SandboxTenants.sandbox.resume(DnsTenants.dns().role());
        down = (System.nanoTime() - stopped) / 1e9;
      }
      JsonPath done = Api.awaitEnd(id);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.firstProduced() != null && load.firstConsumed() != null);
      load.finish();

      assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
      assertThat(done.getInt("facts.dnsAttempts")).isGreaterThanOrEqualTo(2);
      assertThat(cname()).contains(DnsTenants.target("secondary"));
      assertThat(registry().getString("cluster")).isEqualTo("secondary");
      assertThat(registry().getLong("epoch")).isEqualTo(epochBefore + 1);
      var verdict = load.verdict();
      assertThat(verdict.lost()).as(verdict.summary()).isZero();
      System.out.printf(
          "DNS down %.1f s during a switchover: switched after %d DNS attempts, record -> %s,"
              + " registry epoch %d; trigger -> traffic switched %s ms; clients: %s%n",
          down,
          done.getInt("facts.dnsAttempts"),
          cname().orElse("(no CNAME)"),
          epochBefore + 1,
          done.getString("facts.trafficSwitchedMillis"),
          verdict.summary());
    }
  }

  private static TenantLoad load(RegistryWatcher watcher, String movedTo) {
    return new TenantLoad(
        watcher,
        ShopTopic.TOPIC,
        "shop-app",
        movedTo,
        SecuredTenants.client(SecuredTenants.PRODUCER),
        SecuredTenants.client(SecuredTenants.CONSUMER),
        RATE);
  }

  private static JsonPath registry() {
    return Api.viewer()
        .accept("application/json")
        .get("/api/tenants/shop/bootstrap")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The CNAME of shop's record as the DNS server answers it, asked directly (dnsjava). */
  private static Optional<String> cname() throws Exception {
    var dns = DnsTenants.dns();
    SimpleResolver resolver = new SimpleResolver(dns.host());
    resolver.setPort(dns.port());
    resolver.setTimeout(Duration.ofSeconds(5));
    Message answer =
        resolver.send(
            Message.newQuery(
                Record.newRecord(Name.fromString(DnsTenants.record()), Type.CNAME, DClass.IN)));
    List<Record> records = answer.getSection(Section.ANSWER);
    return records.stream()
        .filter(r -> r instanceof CNAMERecord)
        .map(r -> ((CNAMERecord) r).getTarget().toString())
        .findFirst();
  }
}
