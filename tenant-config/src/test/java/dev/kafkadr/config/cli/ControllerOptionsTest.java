package dev.kafkadr.config.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kdr} with several controller replicas: an unreachable one is passed over, a follower's 307
 * is followed to the leader with the same method, body and user, and when none can be reached the
 * error names every URL tried.
 */
class ControllerOptionsTest {

  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final List<String> leaderSaw = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void anUnreachableReplicaIsPassedOverAndAFollowerSendsTheRequestToTheLeader() throws Exception {
    int leader =
        serve(
            exchange -> {
              leaderSaw.add(
                  exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestURI()
                      + " "
                      + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                      + " "
                      + exchange.getRequestHeaders().getFirst("Authorization"));
              byte[] body = "{\"id\":\"wf-1\"}".getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(202, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
    int follower =
        serve(
            exchange -> {
              exchange
                  .getResponseHeaders()
                  .add("Location", "http://127.0.0.1:" + leader + exchange.getRequestURI());
              exchange.sendResponseHeaders(307, -1);
              exchange.close();
            });
    ControllerOptions options = new ControllerOptions();
    options.controller =
        "http://127.0.0.1:" + closedPort() + ", http://127.0.0.1:" + follower + "/";
    options.user = "olu";
    options.insecure = true;
    System.setProperty("kafka-dr.password", "secret");
    try {
      HttpResponse<String> r =
          options.send("POST", "/api/tenants/shop/workflows?x=1", "{\"kind\":\"switchover\"}");
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.body()).isEqualTo("{\"id\":\"wf-1\"}");
    } finally {
      System.clearProperty("kafka-dr.password");
    }
    assertThat(leaderSaw)
        .containsExactly(
            "POST /api/tenants/shop/workflows?x=1 {\"kind\":\"switchover\"} Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString("olu:secret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void whenNoReplicaCanBeReachedTheErrorNamesEveryUrl() throws Exception {
    ControllerOptions options = new ControllerOptions();
    int a = closedPort();
    int b = closedPort();
    options.controller = "http://127.0.0.1:" + a + ",http://127.0.0.1:" + b;
    options.insecure = true;
    assertThatThrownBy(() -> options.send("GET", "/api/tenants", null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "no controller could be reached at http://127.0.0.1:" + a + ", http://127.0.0.1:" + b);
  }

  @Test
  void aPlainHttpUrlIsRefusedBeforeAnythingIsSentUnlessInsecureIsGiven() throws Exception {
    int served = serve(exchange -> leaderSaw.add("sent"));
    ControllerOptions options = new ControllerOptions();
    options.controller = "https://127.0.0.1:" + closedPort() + ",http://127.0.0.1:" + served;
    options.user = "olu";
    assertThatThrownBy(() -> options.send("GET", "/api/tenants", null))
        .isInstanceOf(dev.kafkadr.client.ControllerTls.RefusedUrl.class)
        .hasMessageContaining("refusing plain HTTP to http://127.0.0.1:" + served)
        .hasMessageContaining("--insecure");
    assertThat(leaderSaw).isEmpty();
  }

  private int serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", handler);
    server.start();
    servers.add(server);
    return server.getAddress().getPort();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
