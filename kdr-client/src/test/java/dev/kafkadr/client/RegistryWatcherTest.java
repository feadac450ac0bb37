package dev.kafkadr.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client and watcher against a local HTTP server standing where the controller is. */
class RegistryWatcherTest {

  @TempDir Path cache;
  private HttpServer server;
  private volatile String answer = entry("primary", "10.0.0.1:9092", 0);

  private static String entry(String cluster, String servers, long epoch) {
    return "bootstrap.servers="
        + servers
        + "\ncluster="
        + cluster
        + "\ncluster.id=id-"
        + cluster
        + "\nepoch="
        + epoch
        + "\n";
  }

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/tenants/",
        exchange -> {
          boolean known = exchange.getRequestURI().getPath().equals("/api/tenants/shop/bootstrap");
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

  private Registry registry() {
    return new Registry(
        java.util.List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")),
        cache,
        Duration.ofSeconds(2),
        null,
        null,
        ControllerTls.plainHttpAllowed());
  }

  @Test
  void aClosedProducerIsNoLongerMovedBySwitches() {
    try (var watcher = new RegistryWatcher(registry(), "shop", Duration.ofHours(1))) {
      var producer =
          new FollowingProducer<>(
              watcher,
              java.util.Map.of("max.block.ms", 100),
              new org.apache.kafka.common.serialization.StringSerializer(),
              new org.apache.kafka.common.serialization.StringSerializer(),
              Duration.ofSeconds(1));
      assertThat(watcher.listeners()).isEqualTo(1);
      producer.close();
      assertThat(watcher.listeners()).isZero();

      answer = entry("secondary", "10.0.0.2:9092", 1);
      watcher.check();
      assertThat(producer.location().cluster())
          .as("closed: stays where it was")
          .isEqualTo("primary");
    }
  }

  @Test
  void aGrowingEpochIsASwitchAndListenersHearOfItOnce() {
    List<Location> heard = new CopyOnWriteArrayList<>();
    try (var watcher = new RegistryWatcher(registry(), "shop", Duration.ofHours(1))) {
      watcher.onSwitch(heard::add);
      assertThat(watcher.current())
          .isEqualTo(new Location("shop", "primary", "10.0.0.1:9092", "id-primary", 0, false));

      watcher.check();
      assertThat(heard).isEmpty();

      answer = entry("secondary", "10.0.0.2:9092", 1);
      assertThat(watcher.check().cluster()).isEqualTo("secondary");
      watcher.check();
      assertThat(heard).extracting(Location::cluster).containsExactly("secondary");
    }
  }

  @Test
  void aControllerThatStopsAnsweringLeavesClientsWhereTheyAre() {
    Registry registry = registry();
    try (var watcher = new RegistryWatcher(registry, "shop", Duration.ofHours(1))) {
      server.stop(0);
      server = null;
      assertThat(watcher.check().cluster()).isEqualTo("primary");
    }
    // a new process starts from the cached answer
    Location cached = registry.locate("shop");
    assertThat(cached.cached()).isTrue();
    assertThat(cached.bootstrapServers()).isEqualTo("10.0.0.1:9092");
  }

  @Test
  void unknownTenantsAndBadIdsAreClearErrors() {
    assertThatThrownBy(() -> registry().locate("beta"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("knows no tenant \"beta\"");
    assertThatThrownBy(() -> registry().locate("../x"))
        .hasMessageContaining("\"../x\" is not a tenant id");
  }
}
