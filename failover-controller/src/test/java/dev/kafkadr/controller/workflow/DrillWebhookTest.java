package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drill webhook against a real HTTP server on 127.0.0.1 (the JDK's). */
class DrillWebhookTest {

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          signatures.add(exchange.getRequestHeaders().getFirst("X-Kdr-Signature"));
          int status = failFirst.getAndDecrement() > 0 ? 503 : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  @Test
  void theOutcomeIsPostedAsJsonSignedWithTheSecret() throws Exception {
    var hook = new DrillWebhook(url(), Optional.of("s3cret"), List.of());
    boolean delivered =
        hook.post(Map.of("drill", "d1", "tenant", "acme", "passed", true))
            .get(10, TimeUnit.SECONDS);
    assertThat(delivered).isTrue();
    assertThat(bodies).hasSize(1);
    assertThat(bodies.get(0)).contains("\"drill\":\"d1\"", "\"tenant\":\"acme\"");
    assertThat(signatures.get(0))
        .isEqualTo(
            "sha256="
                + DrillWebhook.hmac("s3cret", bodies.get(0).getBytes(StandardCharsets.UTF_8)));
    // an independent HMAC of the same body, the way a receiver checks it
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("s3cret".getBytes(), "HmacSHA256"));
    assertThat(signatures.get(0))
        .isEqualTo(
            "sha256="
                + java.util.HexFormat.of()
                    .formatHex(mac.doFinal(bodies.get(0).getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void aFailedPostIsTriedAgainThenGivenUp() throws Exception {
    failFirst.set(1);
    var hook = new DrillWebhook(url(), Optional.empty(), List.of(Duration.ofMillis(50)));
    assertThat(hook.post(Map.of("drill", "d2")).get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bodies).hasSize(2); // 503, then 204
    assertThat(signatures.get(1)).isNull(); // no secret: unsigned

    bodies.clear();
    failFirst.set(5);
    var impatient =
        new DrillWebhook(
            url(), Optional.empty(), List.of(Duration.ofMillis(20), Duration.ofMillis(20)));
    assertThat(impatient.post(Map.of("drill", "d3")).get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(bodies).hasSize(3);
  }

  @Test
  void anUnreachableReceiverIsGivenUpWithoutHangingTheCaller() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    var hook =
        new DrillWebhook(
            URI.create("http://127.0.0.1:" + port + "/hook"),
            Optional.empty(),
            List.of(Duration.ofMillis(10)));
    assertThat(hook.post(Map.of("drill", "d4")).get(30, TimeUnit.SECONDS)).isFalse();
  }
}
