package dev.kafkadr.controller.store;

import dev.kafkadr.sandbox.etcd.EtcdCluster;
import dev.kafkadr.sandbox.process.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real three-member etcd cluster for a controller under test whose store is etcd. The tenants
 * file names clusters at closed ports: these tests exercise the store, not replication.
 */
public class EtcdResource implements QuarkusTestResourceLifecycleManager {

  static EtcdCluster etcd;

  /** Why the tests cannot run on this machine (a laptop without etcd), or null. */
  static String missing;

  @Override
  public Map<String, String> start() {
    if (EtcdCluster.find().isEmpty() && !"true".equals(System.getenv("CI"))) {
      missing = "etcd is not installed (apt-get install etcd-server etcd-client)";
      return Map.of();
    }
    try {
      Path dir = Files.createTempDirectory("kdr-etcd-store-it");
      etcd =
          EtcdCluster.start(
              dir.resolve("etcd"), EtcdCluster.DEFAULT_MEMBERS, Duration.ofSeconds(30));
      List<Integer> closed = FreePorts.allocate(2, false);
      Path tenants = dir.resolve("tenants.yaml");
      Files.writeString(
          tenants,
          String.join(
              "\n",
              "clusters:",
              "  - {alias: primary, bootstrap: \"127.0.0.1:" + closed.get(0) + "\"}",
              "  - {alias: secondary, bootstrap: \"127.0.0.1:" + closed.get(1) + "\"}",
              "flows: [{source: primary, target: secondary, tenants: [shop]}]",
              "tenants:",
              "  - id: shop",
              "    topics: {include: [\"shop\\\\..*\"]}",
              "    rpo: 30s",
              "    rto: 5m",
              ""));
      return Map.of(
          "kdr.tenants-file", tenants.toString(),
          "kdr.workflow.journal-dir", dir.resolve("workflows").toString(),
          "kdr.scan.interval", "60s",
          "kdr.scan.read-timeout", "1s",
          "kdr.store.type", "etcd",
          "kdr.store.etcd.endpoints", etcd.endpointList(),
          "kdr.store.etcd.prefix", "/kdr-it/");
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("etcd for the store tests: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    if (etcd != null) {
      etcd.close();
    }
  }
}
