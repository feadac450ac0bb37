package dev.kafkadr.controller;

import dev.kafkadr.sandbox.etcd.EtcdCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The configuration of a packaged controller replica on an etcd store, for the HA tests. */
final class EtcdReplicas {

  private EtcdReplicas() {}

  /**
   * {@code base} (the sandbox's settings) plus what makes {@code replica} one of the replicas
   * sharing {@code etcd} under {@code prefix}: its id, its advertised URL on {@code port}, a
   * journal directory of its own under {@code work}; over TLS with the controller's certificate
   * where the members use TLS.
   */
  static Map<String, String> config(
      Map<String, String> base,
      String replica,
      int port,
      Path work,
      EtcdCluster etcd,
      String prefix) {
    Map<String, String> mine = new HashMap<>(base);
    String scheme =
        base.containsKey(dev.kafkadr.sandbox.process.ControllerProcess.TLS_CERTIFICATE)
            ? "https"
            : "http";
    mine.put("kdr.store.etcd.advertised-url", scheme + "://127.0.0.1:" + port);
    mine.put("kdr.workflow.journal-dir", work.resolve(replica).toString());
    mine.put("kdr.store.type", "etcd");
    mine.put("kdr.store.etcd.endpoints", etcd.endpointList());
    mine.put("kdr.store.etcd.prefix", prefix);
    mine.put("kdr.store.etcd.replica-id", replica);
    etcd.authority()
        .ifPresent(
            tls -> {
              // Members that require a client certificate: the controller's principal's.
              var own = tls.issue(dev.kafkadr.sandbox.kafka.ClusterSecurity.CONTROLLER);
              mine.put("kdr.store.etcd.trusted-ca-file", tls.caCertificate().toString());
              mine.put("kdr.store.etcd.cert-file", own.certificateChain().toString());
              mine.put("kdr.store.etcd.key-file", own.privateKey().toString());
            });
    return mine;
  }
}
