package dev.kafkadr.controller.store;

import io.etcd.jetcd.Client;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;

/**
 * The etcd store's connection, open when {@code kdr.store.type=etcd}: one jetcd client to every
 * configured member (jetcd picks a live one and moves on when it fails), keys under {@code
 * kdr.store.etcd.prefix}. Checked at start: an etcd store without endpoints, or an unknown store
 * type, stops the controller with the key named.
 */
@ApplicationScoped
public class EtcdStore {

  private final StoreConfig config;
  private volatile Client client;

  EtcdStore(StoreConfig config) {
    this.config = config;
  }

  /**
   * Opens the client when the store is etcd.
   *
   * @throws IllegalStateException naming the key for a bad store configuration
   */
  void open(@Observes @Priority(900) StartupEvent event) {
    String type = config.type();
    if ("local".equals(type)) {
      return;
    }
    if (!"etcd".equals(type)) {
      throw new IllegalStateException(
          "kdr.store.type: \"" + type + "\" is not a store; use local or etcd");
    }
    List<String> endpoints =
        config
            .etcd()
            .endpoints()
            .filter(l -> !l.isEmpty())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "kdr.store.etcd.endpoints: needed for kdr.store.type=etcd (the members'"
                            + " client URLs, comma-separated)"));
    client = EtcdClients.create(endpoints, config.etcd());
  }

  /** The client, when the store is etcd. */
  public Optional<Client> client() {
    return Optional.ofNullable(client);
  }

  /** The full key of {@code name} under the configured prefix. */
  public String key(String name) {
    return config.etcd().prefix() + name;
  }

  /**
   * A leader lease on {@code <prefix>leader} for {@code replicaId} answering at {@code url}, with
   * the configured TTL, margin and request timeout.
   *
   * @throws IllegalStateException when the store is not etcd
   */
  public LeaderLease leaderLease(String replicaId, String url) {
    Client c = client().orElseThrow(() -> new IllegalStateException("kdr.store.type is not etcd"));
    StoreConfig.Etcd e = config.etcd();
    return new LeaderLease(
        c,
        key("leader"),
        replicaId,
        url,
        e.leaseTtl(),
        e.leaseMargin(),
        e.requestTimeout(),
        System::nanoTime);
  }

  void close(@Observes ShutdownEvent event) {
    Client c = client;
    client = null;
    if (c != null) {
      c.close();
    }
  }
}
