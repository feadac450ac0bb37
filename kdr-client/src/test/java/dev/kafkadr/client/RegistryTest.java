package dev.kafkadr.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client with several controller replicas: one down, one failing, one answering. */
class RegistryTest {

  @TempDir Path cache;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void aReplicaThatIsDownOrFailsIsPassedOverAndTheOneThatAnsweredIsAskedFirst() throws Exception {
    AtomicInteger failing = new AtomicInteger();
    AtomicInteger answering = new AtomicInteger();
    int down = closedPort();
    int sick = serve(500, "etcd did not answer", failing);
    int good =
        serve(
            200,
            "bootstrap.servers=secondary:9092\ncluster=secondary\ncluster.id=abc\nepoch=3\n",
            answering);
    Registry registry =
        new Registry(
            Registry.urls(
                "http://127.0.0.1:"
                    + down
                    + ", http://127.0.0.1:"
                    + sick
                    + "/,http://127.0.0.1:"
                    + good),
            cache,
            Duration.ofSeconds(2),
            null,
            null,
            ControllerTls.plainHttpAllowed());
    Location first = registry.locate("shop");
    assertThat(first.bootstrapServers()).isEqualTo("secondary:9092");
    assertThat(first.epoch()).isEqualTo(3);
    assertThat(first.cached()).isFalse();
    assertThat(registry.controller()).isEqualTo(URI.create("http://127.0.0.1:" + good + "/"));
    assertThat(failing.get()).isEqualTo(1);

    registry.locate("shop");
    assertThat(failing.get()).as("the replica that answered is asked first").isEqualTo(1);
    assertThat(answering.get()).isEqualTo(2);

    servers.forEach(s -> s.stop(0));
    Location cached = registry.locate("shop");
    assertThat(cached.cached()).isTrue();
    assertThat(cached.epoch()).isEqualTo(3);
    assertThat(registry.properties("shop").getProperty("cached.because"))
        .as("why the cache answered")
        .contains("cannot be reached");
  }

  @Test
  void withNoReplicaAndNoCacheTheErrorNamesEachReplicaAndWhy() throws Exception {
    int down = closedPort();
    int sick = serve(500, "no", new AtomicInteger());
    Registry registry =
        new Registry(
            Registry.urls("http://127.0.0.1:" + down + ",http://127.0.0.1:" + sick),
            cache,
            Duration.ofSeconds(2),
            null,
            null,
            ControllerTls.plainHttpAllowed());
    assertThatThrownBy(() -> registry.locate("shop"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("http://127.0.0.1:" + down + "/ cannot be reached")
        .hasMessageContaining("http://127.0.0.1:" + sick + "/ answered 500")
        .hasMessageContaining("no cached answer for \"shop\"");
    assertThatThrownBy(() -> Registry.urls(" , ")).isInstanceOf(IllegalArgumentException.class);
  }

  private int serve(int status, String body, AtomicInteger calls) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/tenants/shop/bootstrap",
        exchange -> {
          calls.incrementAndGet();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
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
