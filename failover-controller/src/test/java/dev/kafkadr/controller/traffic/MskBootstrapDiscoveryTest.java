package dev.kafkadr.controller.traffic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.kafkadr.controller.traffic.MskBootstrapDiscovery.Auth;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kafka.KafkaClient;

/**
 * Contract test of MSK bootstrap discovery: the real AWS SDK v2 ({@code kafka}) against WireMock
 * answering {@code GetBootstrapBrokers} in MSK's REST-JSON wire format.
 */
class MskBootstrapDiscoveryTest {

  private static final String ARN =
      "arn:aws:kafka:eu-west-1:123456789012:cluster/shared/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-2";
  private static final String PATH =
      "/v1/clusters/" + URLEncoder.encode(ARN, StandardCharsets.UTF_8) + "/bootstrap-brokers";

  private WireMockServer msk;
  private KafkaClient client;

  @BeforeEach
  void start() {
    msk = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    msk.start();
    client =
        MskBootstrapDiscovery.client(
            Region.EU_WEST_1,
            URI.create("http://127.0.0.1:" + msk.port()),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLE", "example-secret")));
  }

  @AfterEach
  void stop() {
    client.close();
    msk.stop();
  }

  @Test
  void picksTheBootstrapServersOfTheClientsAuthentication() {
    msk.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"bootstrapBrokerStringTls\":\"b-1.shared.abc.c2.kafka.eu-west-1.amazonaws.com:9094\","
                            + "\"bootstrapBrokerStringSaslIam\":\"b-1.shared.abc.c2.kafka.eu-west-1.amazonaws.com:9098,"
                            + "b-2.shared.abc.c2.kafka.eu-west-1.amazonaws.com:9098\"}")));
    MskBootstrapDiscovery discovery = new MskBootstrapDiscovery(client);

    assertThat(discovery.bootstrapServers(ARN, Auth.IAM))
        .isEqualTo(
            "b-1.shared.abc.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.shared.abc.c2.kafka.eu-west-1.amazonaws.com:9098");
    assertThat(discovery.bootstrapServers(ARN, Auth.TLS)).endsWith(":9094");
    assertThatThrownBy(() -> discovery.bootstrapServers(ARN, Auth.SCRAM))
        .hasMessageContaining("has no bootstrap brokers for SCRAM: scram is not enabled on it");
    msk.verify(
        getRequestedFor(urlEqualTo(PATH))
            .withHeader("Authorization", containing("AWS4-HMAC-SHA256")));
  }

  @Test
  void anUnknownClusterAndMissingPermissionsAreClearErrors() {
    msk.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", "NotFoundException")
                    .withBody("{\"message\":\"The specified cluster was not found.\"}")));
    MskBootstrapDiscovery discovery = new MskBootstrapDiscovery(client);
    assertThatThrownBy(() -> discovery.bootstrapServers(ARN, Auth.IAM))
        .hasMessage("MSK cluster " + ARN + ": there is no such cluster");

    msk.resetAll();
    msk.stubFor(
        get(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-amzn-ErrorType", "ForbiddenException")
                    .withBody("{\"message\":\"not allowed\"}")));
    assertThatThrownBy(() -> discovery.bootstrapServers(ARN, Auth.IAM))
        .hasMessageContaining(
            "access denied: the credentials may not call kafka:GetBootstrapBrokers");
  }
}
