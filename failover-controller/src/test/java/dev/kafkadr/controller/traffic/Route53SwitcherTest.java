package dev.kafkadr.controller.traffic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToXml;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * Contract test of the Route 53 switcher: the real AWS SDK v2 against a local WireMock server that
 * answers in Route 53's documented REST-XML wire format (API version 2013-04-01).
 */
class Route53SwitcherTest {

  private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
  private static final String CHANGE_PATH = "/2013-04-01/hostedzone/Z0123456789ABC/rrset/";
  private static final String NAME = "acme-bootstrap.kafka.example.com";
  private static final String TARGET = "b-1.secondary.abc123.c2.kafka.eu-west-1.amazonaws.com";

  private WireMockServer route53;
  private Route53Client client;
  private final List<String> journal = new ArrayList<>();

  @BeforeEach
  void start() {
    route53 = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    route53.start();
    client =
        Route53Switcher.client(
            URI.create("http://127.0.0.1:" + route53.port()),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLE", "example-secret")),
            3);
  }

  @AfterEach
  void stop() {
    client.close();
    route53.stop();
  }

  private Route53Switcher switcher(boolean dryRun) {
    return new Route53Switcher(
        client,
        "Z0123456789ABC",
        Duration.ofMillis(50),
        Duration.ofSeconds(5),
        dryRun,
        journal::add);
  }

  private static String changeInfo(String root, String status) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><"
        + root
        + " xmlns=\""
        + NS
        + "\"><ChangeInfo>"
        + "<Id>/change/C0456</Id><Status>"
        + status
        + "</Status>"
        + "<SubmittedAt>2026-11-25T10:00:00.000Z</SubmittedAt></ChangeInfo></"
        + root
        + ">";
  }

  private static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse xmlns=\""
        + NS
        + "\"><Error>"
        + "<Type>Sender</Type><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error>"
        + "<RequestId>0f1e2d3c</RequestId></ErrorResponse>";
  }

  private void acceptChangesAsPending() {
    route53.stubFor(
        post(urlEqualTo(CHANGE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(changeInfo("ChangeResourceRecordSetsResponse", "PENDING"))));
  }

  private void pendingThenInSync() {
    route53.stubFor(
        get(urlPathEqualTo("/2013-04-01/change/C0456"))
            .inScenario("change")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                aResponse().withStatus(200).withBody(changeInfo("GetChangeResponse", "PENDING")))
            .willSetStateTo("in sync"));
    route53.stubFor(
        get(urlPathEqualTo("/2013-04-01/change/C0456"))
            .inScenario("change")
            .whenScenarioStateIs("in sync")
            .willReturn(
                aResponse().withStatus(200).withBody(changeInfo("GetChangeResponse", "INSYNC"))));
  }

  @Test
  void sendsExactlyOneUpsertAndWaitsUntilTheChangeIsInSync() {
    acceptChangesAsPending();
    pendingThenInSync();

    switcher(false).pointTo(NAME, TARGET, Duration.ofSeconds(30));

    route53.verify(
        1,
        postRequestedFor(urlEqualTo(CHANGE_PATH))
            .withHeader("Authorization", containing("AWS4-HMAC-SHA256"))
            .withRequestBody(
                equalToXml(
                    "<ChangeResourceRecordSetsRequest xmlns=\""
                        + NS
                        + "\"><ChangeBatch>"
                        + "<Comment>kafka-dr: point "
                        + NAME
                        + " at "
                        + TARGET
                        + "</Comment>"
                        + "<Changes><Change><Action>UPSERT</Action><ResourceRecordSet>"
                        + "<Name>"
                        + NAME
                        + "</Name><Type>CNAME</Type><TTL>30</TTL>"
                        + "<ResourceRecords><ResourceRecord><Value>"
                        + TARGET
                        + "</Value>"
                        + "</ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes>"
                        + "</ChangeBatch></ChangeResourceRecordSetsRequest>")));
    route53.verify(2, getRequestedFor(urlPathEqualTo("/2013-04-01/change/C0456")));
    assertThat(journal)
        .containsExactly(
            "UPSERT " + NAME + " CNAME " + TARGET + ": change C0456 PENDING",
            "change C0456 of " + NAME + " INSYNC");
  }

  @Test
  void weightedRecordsMoveTheWholeWeightInOneChangeBatch() {
    acceptChangesAsPending();
    pendingThenInSync();
    String home = "kafka.dc1.example.internal";

    String change =
        switcher(false)
            .weighted(java.util.Map.of("onprem", home, "msk", TARGET))
            .pointTo(NAME, TARGET, Duration.ofSeconds(30));

    assertThat(change).isEqualTo("C0456");
    route53.verify(
        1,
        postRequestedFor(urlEqualTo(CHANGE_PATH))
            .withRequestBody(
                equalToXml(
                    "<ChangeResourceRecordSetsRequest xmlns=\""
                        + NS
                        + "\"><ChangeBatch>"
                        + "<Comment>kafka-dr: weight "
                        + NAME
                        + " to "
                        + TARGET
                        + "</Comment><Changes>"
                        + weightedChange("msk", 1, TARGET)
                        + weightedChange("onprem", 0, home)
                        + "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>")));
    assertThatThrownBy(
            () ->
                switcher(false)
                    .weighted(java.util.Map.of("onprem", home))
                    .pointTo(NAME, TARGET, Duration.ofSeconds(30)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("is none of the weighted records' targets");
  }

  private static String weightedChange(String id, int weight, String value) {
    return "<Change><Action>UPSERT</Action><ResourceRecordSet><Name>"
        + NAME
        + "</Name><Type>CNAME</Type><SetIdentifier>"
        + id
        + "</SetIdentifier><Weight>"
        + weight
        + "</Weight><TTL>30</TTL><ResourceRecords><ResourceRecord><Value>"
        + value
        + "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>";
  }

  @Test
  void throttlingIsRetriedWithBackoff() {
    route53.stubFor(
        post(urlEqualTo(CHANGE_PATH))
            .inScenario("throttled")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(400).withBody(error("Throttling", "Rate exceeded")))
            .willSetStateTo("calm"));
    route53.stubFor(
        post(urlEqualTo(CHANGE_PATH))
            .inScenario("throttled")
            .whenScenarioStateIs("calm")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(changeInfo("ChangeResourceRecordSetsResponse", "INSYNC"))));

    switcher(false).pointTo(NAME, TARGET, Duration.ofSeconds(30));

    route53.verify(2, postRequestedFor(urlEqualTo(CHANGE_PATH)));
  }

  private static final String OLD = "b-1.primary.onprem.example.com";

  /** The list answer holding {@code name} as a CNAME of {@code value} with TTL 60. */
  private void listsCname(String value) {
    route53.stubFor(
        get(urlPathEqualTo("/2013-04-01/hostedzone/Z0123456789ABC/rrset"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListResourceRecordSetsResponse"
                            + " xmlns=\""
                            + NS
                            + "\"><ResourceRecordSets><ResourceRecordSet><Name>"
                            + NAME
                            + ".</Name><Type>CNAME</Type><TTL>60</TTL><ResourceRecords>"
                            + "<ResourceRecord><Value>"
                            + value
                            + "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
                            + "</ResourceRecordSets><IsTruncated>false</IsTruncated>"
                            + "<MaxItems>1</MaxItems></ListResourceRecordSetsResponse>")));
  }

  @Test
  void aConditionedSwitchDeletesTheSetAsReadAndCreatesTheNewOneInOneBatch() {
    listsCname(OLD);
    acceptChangesAsPending();
    pendingThenInSync();

    switcher(false).pointTo(NAME, TARGET, Duration.ofSeconds(30), Optional.of(OLD));

    route53.verify(
        1,
        postRequestedFor(urlEqualTo(CHANGE_PATH))
            .withRequestBody(
                equalToXml(
                    "<ChangeResourceRecordSetsRequest xmlns=\""
                        + NS
                        + "\"><ChangeBatch><Comment>kafka-dr: point "
                        + NAME
                        + " at "
                        + TARGET
                        + " if still "
                        + OLD
                        + "</Comment><Changes>"
                        + "<Change><Action>DELETE</Action><ResourceRecordSet><Name>"
                        + NAME
                        + ".</Name><Type>CNAME</Type><TTL>60</TTL><ResourceRecords><ResourceRecord>"
                        + "<Value>"
                        + OLD
                        + "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>"
                        + "<Change><Action>CREATE</Action><ResourceRecordSet><Name>"
                        + NAME
                        + "</Name><Type>CNAME</Type><TTL>30</TTL><ResourceRecords><ResourceRecord>"
                        + "<Value>"
                        + TARGET
                        + "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></Change>"
                        + "</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>")));
    assertThat(journal.get(0))
        .isEqualTo(
            "DELETE "
                + NAME
                + " CNAME "
                + OLD
                + " + CREATE "
                + NAME
                + " CNAME "
                + TARGET
                + ": change C0456 PENDING");
  }

  @Test
  void aConditionedSwitchIsRefusedWhenAnotherCameFirstBeforeOrDuringIt() {
    listsCname(TARGET);
    assertThatThrownBy(
            () -> switcher(false).pointTo(NAME, TARGET, Duration.ofSeconds(30), Optional.of(OLD)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("it is no longer a CNAME of " + OLD)
        .hasMessageContaining("(now " + TARGET + "): another switch came first");
    route53.verify(0, postRequestedFor(urlEqualTo(CHANGE_PATH)));

    route53.resetAll();
    listsCname(OLD);
    route53.stubFor(
        post(urlEqualTo(CHANGE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody(
                        error(
                            "InvalidChangeBatch",
                            "[Tried to delete resource record set [name='"
                                + NAME
                                + ".', type='CNAME'] but the values provided do not match the"
                                + " current values]"))));
    assertThatThrownBy(
            () -> switcher(false).pointTo(NAME, TARGET, Duration.ofSeconds(30), Optional.of(OLD)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("another switch came first");
  }

  @Test
  void endlessThrottlingAndAccessDeniedAreClearErrors() {
    route53.stubFor(
        post(urlEqualTo(CHANGE_PATH))
            .willReturn(
                aResponse().withStatus(400).withBody(error("Throttling", "Rate exceeded"))));
    assertThatThrownBy(() -> switcher(false).pointTo(NAME, TARGET, Duration.ofSeconds(30)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining(
            "update of " + NAME + " on Route 53 hosted zone Z0123456789ABC not made")
        .hasMessageContaining("kept throttling the request after 3 attempts");

    route53.resetAll();
    route53.stubFor(
        post(urlEqualTo(CHANGE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withBody(
                        error(
                            "AccessDenied",
                            "User is not authorized to perform: route53:ChangeResourceRecordSets"))));
    assertThatThrownBy(() -> switcher(false).pointTo(NAME, TARGET, Duration.ofSeconds(30)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("access denied: the credentials may not change record sets")
        .message()
        .doesNotContain("example-secret");
  }

  @Test
  void aChangeThatNeverSyncsIsNotReportedAsDone() {
    acceptChangesAsPending();
    route53.stubFor(
        get(urlPathEqualTo("/2013-04-01/change/C0456"))
            .willReturn(
                aResponse().withStatus(200).withBody(changeInfo("GetChangeResponse", "PENDING"))));
    Route53Switcher impatient =
        new Route53Switcher(
            client,
            "Z0123456789ABC",
            Duration.ofMillis(50),
            Duration.ofMillis(400),
            false,
            journal::add);

    assertThatThrownBy(() -> impatient.pointTo(NAME, TARGET, Duration.ofSeconds(30)))
        .isInstanceOf(DnsSwitchException.class)
        .hasMessageContaining("did not reach INSYNC within PT0.4S");
  }

  @Test
  void dryRunDescribesTheChangeAndSendsNothing() {
    switcher(true).pointTo(NAME, TARGET, Duration.ofSeconds(60));

    assertThat(route53.getAllServeEvents()).isEmpty();
    assertThat(journal)
        .containsExactly(
            "dry run: would UPSERT "
                + NAME
                + " CNAME "
                + TARGET
                + " TTL 60 in hosted zone Z0123456789ABC");
  }

  @Test
  void readsTheCurrentTarget() {
    route53.stubFor(
        get(urlPathEqualTo("/2013-04-01/hostedzone/Z0123456789ABC/rrset"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListResourceRecordSetsResponse xmlns=\""
                            + NS
                            + "\"><ResourceRecordSets><ResourceRecordSet><Name>"
                            + NAME
                            + ".</Name><Type>CNAME</Type><TTL>30</TTL><ResourceRecords><ResourceRecord><Value>"
                            + TARGET
                            + "</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
                            + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems>"
                            + "</ListResourceRecordSetsResponse>")));

    assertThat(switcher(false).current(NAME)).contains(TARGET);
  }

  @Test
  void aDrillProbeIsAQuotedTxtUpsertThenTheSameSetDeletedEachWaitedForInSync() {
    acceptChangesAsPending();
    pendingThenInSync();
    String probe = "_kdr-drill." + NAME;

    switcher(false).writeTxt(probe, "kdr-drill 42", Duration.ofSeconds(60));
    switcher(false).deleteTxt(probe, "kdr-drill 42", Duration.ofSeconds(60));

    for (String action : new String[] {"UPSERT", "DELETE"}) {
      route53.verify(
          1,
          postRequestedFor(urlEqualTo(CHANGE_PATH))
              .withRequestBody(
                  equalToXml(
                      "<ChangeResourceRecordSetsRequest xmlns=\""
                          + NS
                          + "\"><ChangeBatch>"
                          + "<Comment>kafka-dr: drill probe "
                          + probe
                          + "</Comment>"
                          + "<Changes><Change><Action>"
                          + action
                          + "</Action><ResourceRecordSet>"
                          + "<Name>"
                          + probe
                          + "</Name><Type>TXT</Type><TTL>60</TTL>"
                          + "<ResourceRecords><ResourceRecord><Value>\"kdr-drill 42\"</Value>"
                          + "</ResourceRecord></ResourceRecords></ResourceRecordSet></Change></Changes>"
                          + "</ChangeBatch></ChangeResourceRecordSetsRequest>")));
    }
    assertThat(journal)
        .contains(
            "UPSERT " + probe + " TXT: change C0456 PENDING",
            "DELETE " + probe + " TXT: change C0456 PENDING");
  }

  @Test
  void readsATxtRecordWithoutItsQuotes() {
    String probe = "_kdr-drill." + NAME;
    route53.stubFor(
        get(urlPathEqualTo("/2013-04-01/hostedzone/Z0123456789ABC/rrset"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListResourceRecordSetsResponse xmlns=\""
                            + NS
                            + "\"><ResourceRecordSets><ResourceRecordSet><Name>"
                            + probe
                            + ".</Name><Type>TXT</Type><TTL>60</TTL><ResourceRecords><ResourceRecord>"
                            + "<Value>\"kdr-drill 42\"</Value></ResourceRecord></ResourceRecords>"
                            + "</ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated>"
                            + "<MaxItems>1</MaxItems></ListResourceRecordSetsResponse>")));

    assertThat(switcher(false).txt(probe)).containsExactly("kdr-drill 42");
  }
}
