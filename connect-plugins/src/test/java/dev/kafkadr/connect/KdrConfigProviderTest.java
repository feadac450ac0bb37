package dev.kafkadr.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap ConfigProvider against a local HTTP server standing where the controller runs. */
class KdrConfigProviderTest {

  @TempDir Path cache;
  private HttpServer server;
  private String answer =
      "bootstrap.servers=10.0.0.1:9092\ncluster=primary\ncluster.id=abc\nepoch=3\n";

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/tenants/",
        exchange -> {
          boolean known = exchange.getRequestURI().getPath().equals("/api/tenants/acme/bootstrap");
          byte[] body = (known ? answer : "no tenant").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(known ? 200 : 404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private KdrConfigProvider provider() {
    KdrConfigProvider p = new KdrConfigProvider();
    p.configure(
        Map.of(
            "url",
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "cache.dir",
            cache.toString(),
            "timeout.ms",
            "2000",
            "insecure",
            "true"));
    return p;
  }

  @Test
  void resolvesTheTenantsBootstrapFromTheRegistry() {
    assertThat(provider().get("acme", Set.of("bootstrap.servers", "epoch")).data())
        .containsEntry("bootstrap.servers", "10.0.0.1:9092")
        .containsEntry("epoch", "3");
  }

  @Test
  void aClientStillStartsFromTheCacheWhenTheControllerIsDown() {
    KdrConfigProvider p = provider();
    p.get("acme", Set.of("bootstrap.servers"));
    server.stop(0);
    server = null;

    assertThat(p.get("acme", Set.of("bootstrap.servers")).data())
        .containsEntry("bootstrap.servers", "10.0.0.1:9092");
    assertThatThrownBy(() -> p.get("beta", Set.of("bootstrap.servers")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot be reached")
        .hasMessageContaining("no cached answer");
  }

  @Test
  void unknownTenantsKeysAndMissingUrlAreClearErrors() {
    assertThatThrownBy(() -> provider().get("beta", Set.of("bootstrap.servers")))
        .hasMessageContaining("knows no tenant \"beta\"");
    assertThatThrownBy(() -> provider().get("acme", Set.of("sasl.jaas.config")))
        .hasMessageContaining("the registry has no sasl.jaas.config");
    assertThatThrownBy(() -> provider().get("../etc", Set.of("bootstrap.servers")))
        .hasMessageContaining("is not a tenant id");
    assertThatThrownBy(() -> new KdrConfigProvider().configure(Map.of()))
        .hasMessageContaining("config.providers.kdr.param.url is missing");
    assertThatThrownBy(
            () -> new KdrConfigProvider().configure(Map.of("url", "http://kdr-controller:8080")))
        .hasMessageContaining("refusing plain HTTP to http://kdr-controller:8080");
  }
}
