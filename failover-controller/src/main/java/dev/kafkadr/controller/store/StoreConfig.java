package dev.kafkadr.controller.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where the controller keeps its state, every key under {@code kdr.store.}. */
@ConfigMapping(prefix = "kdr.store")
public interface StoreConfig {

  /**
   * {@code local}: files in {@code kdr.workflow.journal-dir}, one replica (the default and the
   * demo's); {@code etcd}: an etcd cluster shared by the replicas.
   */
  @WithDefault("local")
  String type();

  /** The etcd store. */
  Etcd etcd();

  /** The etcd store. */
  interface Etcd {
    /** The members' client URLs ({@code http://host:2379}), comma-separated; needed for etcd. */
    Optional<List<String>> endpoints();

    /**
     * This replica's name, unique among the replicas (written as the leader key's value); its host
     * name and HTTP port by default.
     */
    Optional<String> replicaId();

    /**
     * Where this replica's API answers for clients and other replicas ({@code
     * https://controller-a.example:8443}); {@code http://<host name>:<HTTP port>} by default.
     * Followers send writes there when this replica leads.
     */
    Optional<String> advertisedUrl();

    /** The prefix of every key kafka-dr writes. */
    @WithDefault("/kafka-dr/")
    String prefix();

    /** The leader lease's time to live (whole seconds, at least 2). */
    @WithDefault("5s")
    Duration leaseTtl();

    /** How long before the lease's end the leader stops acting. */
    @WithDefault("1s")
    Duration leaseMargin();

    /** The longest one request to etcd may take. */
    @WithDefault("2s")
    Duration requestTimeout();

    /**
     * The CA certificates (PEM) the members' certificates are checked against, for {@code https://}
     * endpoints ({@code kdr.store.etcd.trusted-ca-file}, as etcd names it); unset, the JVM's.
     */
    Optional<java.nio.file.Path> trustedCaFile();

    /**
     * This replica's client certificate chain (PEM) for members started with {@code
     * --client-cert-auth} ({@code kdr.store.etcd.cert-file}); with {@link #keyFile()}.
     */
    Optional<java.nio.file.Path> certFile();

    /** The private key (PEM, PKCS#8) of {@link #certFile()} ({@code kdr.store.etcd.key-file}). */
    Optional<java.nio.file.Path> keyFile();
  }
}
