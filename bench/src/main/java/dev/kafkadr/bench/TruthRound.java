package dev.kafkadr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.apps.SecuredTenantFile;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.testkit.controller.ControllerApi;
import dev.kafkadr.testkit.controller.ScanPoller;
import dev.kafkadr.testkit.history.CheckedProducer;
import dev.kafkadr.testkit.history.CopyReader;
import dev.kafkadr.testkit.history.History;
import dev.kafkadr.testkit.history.Micros;
import dev.kafkadr.testkit.history.Sender;
import dev.kafkadr.testkit.history.Truth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One rate of the truth benchmark, on a fresh sandbox with the packaged controller scanning every
 * second: the history checker's producer writes at the rate, a reader tails the copy, and every
 * scan the controller serves is judged against the truth at its {@code measuredAt} ({@link Truth});
 * first with MirrorMaker 2 free, then held to about half the produce rate by a quota on its
 * producer; then the primary is killed under load, the tenant failed over, the primary restarted
 * and reconcile asked, and the failover's figures judged against what the restarted primary holds
 * that never reached the copy.
 */
final class TruthRound {

  static final String TENANT = "truth";
  static final String TOPIC = "truth.events";
  private static final String VIEWER = "truth-viewer";
  private static final String OPERATOR = "truth-operator";

  /**
   * A scan judged.
   *
   * @param served what the API served
   * @param low the truth's lower bound at its {@code measuredAt}
   */
  record Judged(ScanPoller.Served served, Truth.Low low) {
    /** Whether the figure is below the truth: the one thing a figure must never be. */
    boolean belowTruth() {
      return served.lagRecords() >= 0 && served.lagRecords() < low.records();
    }

    /** Reported minus the truth's lower bound, in records. */
    long error() {
      return served.lagRecords() - low.records();
    }

    /** Reported minus the truth's lower bound, in seconds. */
    double errorSeconds() {
      return served.lagSeconds() - low.oldestSeconds();
    }
  }

  /**
   * One phase of the load.
   *
   * @param name what MM2 was allowed
   * @param produced records acknowledged per second in it
   * @param scans every scan measured in it, judged
   */
  record Phase(String name, double produced, List<Judged> scans) {}

  /**
   * The primary killed under load, and what each side said.
   *
   * @param dataAtRisk at the failover's last complete scan
   * @param lowerBound the failover's exact lower bound of the loss
   * @param estimate its estimate of the records written after that scan, -1 without one
   * @param lostAcknowledged acknowledged records never on the copy (the checker)
   * @param onOldOnly records the restarted primary holds that never reached the copy (the checker)
   * @param reconciled what kdr reconcile counted
   */
  record Kill(
      long dataAtRisk,
      long lowerBound,
      long estimate,
      long lostAcknowledged,
      History.Difference onOldOnly,
      long reconciled) {}

  /**
   * What one rate gave.
   *
   * @param rate the rate asked for
   * @param phases each phase, judged
   * @param kill the kill, or null
   * @param epsilonMicros the slack of the truth's bound, at most
   */
  record Result(int rate, List<Phase> phases, Kill kill, long epsilonMicros) {}

  private TruthRound() {}

  /**
   * Runs one rate.
   *
   * @param phase how long each phase lasts
   * @param throttle whether the second phase holds MM2 to about half the produce rate
   * @param kill whether to end with the primary killed and a failover
   */
  static Result run(
      Path plugins, int rate, Duration phase, boolean throttle, boolean kill, Path dir)
      throws Exception {
    String password = java.util.UUID.randomUUID().toString();
    try (Sandbox sandbox =
        Sandbox.builder().name("truth-bench").dns(false).pluginPath(plugins).start()) {
      sandbox
          .primary()
          .createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1)), Duration.ofSeconds(60));
      var tenants =
          TenantsFileParser.parse(
              SecuredTenantFile.write(sandbox, dir.resolve("tenants.yaml"), TENANT, "tp", "tc"));
      ConnectConfigs.render(tenants).forEach(sandbox.connect()::putConnector);
      sandbox.connect().awaitRunning(flow() + ".source", Duration.ofSeconds(90));
      try (ControllerProcess controller =
          new ControllerProcess(
              ControllerProcess.inBuildTree(),
              ControllerProcess.sandboxConfig(
                  sandbox, dir, Map.of(VIEWER, "viewer", OPERATOR, "operator"), password),
              dir.resolve("controller.log"))) {
        return measure(sandbox, controller, password, rate, phase, throttle, kill);
      }
    }
  }

  private static Result measure(
      Sandbox sandbox,
      ControllerProcess controller,
      String password,
      int rate,
      Duration phase,
      boolean throttle,
      boolean kill)
      throws Exception {
    History history = History.create();
    ControllerApi viewer = new ControllerApi(controller.url(), controller.tls(), VIEWER, password);
    ControllerApi operator =
        new ControllerApi(controller.url(), controller.tls(), OPERATOR, password);
    List<long[]> windows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Double> rates = new ArrayList<>();
    Kill killed = null;
    try (CopyReader copy =
            new CopyReader(
                history,
                "copy",
                Sandbox.SECONDARY,
                sandbox.secondary().adminConfig(),
                List.of(TOPIC),
                Duration.ofMillis(50));
        ScanPoller scans = new ScanPoller(viewer, TENANT)) {
      KafkaProducer<byte[], byte[]> raw = producer(sandbox);
      CheckedProducer producer =
          new CheckedProducer(
              history, 0, Sender.of(raw, Sandbox.PRIMARY), List.of(TOPIC), 16, rate, 100);
      try {
        phase(history, phase, "MM2 free", windows, names, rates, producer);
        if (throttle) {
          quota(sandbox, copyBytesPerRecord(sandbox) * producer.achievedRate() / 2);
          phase(history, phase, "MM2 held to ~1/2", windows, names, rates, producer);
          if (!kill) {
            quota(sandbox, -1);
          }
        }
        if (kill) {
          killed = killAndFailOver(sandbox, operator, producer, history, copy);
        }
      } finally {
        producer.close();
      }
      copy.awaitCaughtUp(Duration.ofSeconds(120));
      Truth truth = history.truth("copy");
      List<Phase> phases = new ArrayList<>();
      long epsilon = 0;
      for (int i = 0; i < windows.size(); i++) {
        List<Judged> judged = new ArrayList<>();
        for (ScanPoller.Served s : scans.served()) {
          long at = Micros.of(s.measuredAt());
          if (at >= windows.get(i)[0] && at < windows.get(i)[1] && s.lagRecords() >= 0) {
            Truth.Low low = truth.at(at);
            epsilon = Math.max(epsilon, low.epsilonMicros());
            judged.add(new Judged(s, low));
          }
        }
        phases.add(new Phase(names.get(i), rates.get(i), judged));
      }
      return new Result(rate, phases, killed, epsilon);
    }
  }

  /** Lets the load run for {@code length}, noting the window and the rate acknowledged. */
  private static void phase(
      History history,
      Duration length,
      String name,
      List<long[]> windows,
      List<String> names,
      List<Double> rates,
      CheckedProducer producer)
      throws InterruptedException {
    long from = Micros.now();
    long acked = producer.acked();
    Thread.sleep(length.toMillis());
    windows.add(new long[] {from, Micros.now()});
    names.add(name);
    rates.add((producer.acked() - acked) / (length.toMillis() / 1000.0));
  }

  private static Kill killAndFailOver(
      Sandbox sandbox,
      ControllerApi operator,
      CheckedProducer producer,
      History history,
      CopyReader copy)
      throws Exception {
    for (var node : sandbox.primary().nodes()) {
      sandbox.kill(node.role());
    }
    JsonNode done = operator.runWorkflow(TENANT, "failover");
    producer.stop(Duration.ofSeconds(5));
    for (var node : sandbox.primary().nodes()) {
      sandbox.restart(node.role());
    }
    sandbox.primary().awaitReady(Duration.ofSeconds(60));
    quota(sandbox, -1);
    var answer = operator.post("/api/tenants/" + TENANT + "/reconcile", "{\"republish\":false}");
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("reconcile: " + answer.statusCode() + " " + answer.body());
    }
    long reconciled =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(answer.body())
            .path("missingOnNewCluster")
            .asLong(-1);
    try (CopyReader old =
        new CopyReader(
            history,
            "old-primary",
            Sandbox.PRIMARY,
            sandbox.primary().adminConfig(),
            List.of(TOPIC),
            Duration.ofSeconds(1))) {
      old.awaitCaughtUp(Duration.ofSeconds(120));
      copy.awaitCaughtUp(Duration.ofSeconds(120));
    }
    JsonNode facts = done.path("facts");
    return new Kill(
        facts.path("dataAtRisk").asLong(-1),
        facts.path("lossLowerBound").asLong(-1),
        facts.path("writtenSinceEstimate").asLong(-1),
        history.verdict("copy").lost(),
        history.onlyIn("old-primary", "copy"),
        reconciled);
  }

  private static KafkaProducer<byte[], byte[]> producer(Sandbox sandbox) {
    Map<String, Object> c = new HashMap<>(sandbox.primary().adminConfig());
    c.put("client.id", "truth-producer");
    c.put("acks", "all");
    c.put("enable.idempotence", true);
    c.put("linger.ms", 5);
    c.put("batch.size", 65_536);
    c.put("delivery.timeout.ms", 10_000);
    c.put("request.timeout.ms", 5_000);
    c.put("max.block.ms", 2_000);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** What one copy takes on the secondary's disk, from its log size over its records. */
  private static double copyBytesPerRecord(Sandbox sandbox) throws Exception {
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      var brokers =
          admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
              .map(org.apache.kafka.common.Node::id)
              .toList();
      long bytes = 0;
      for (var dirs :
          admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values()) {
        for (var dir : dirs.values()) {
          for (var e : dir.replicaInfos().entrySet()) {
            bytes += TOPIC.equals(e.getKey().topic()) ? e.getValue().size() : 0;
          }
        }
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 3; p++) {
        latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      long records =
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
              .mapToLong(o -> o.offset())
              .sum();
      return records == 0 ? 200 : (double) bytes / records;
    }
  }

  /**
   * Holds MM2's producer (its tenant client id) on the secondary to {@code bytes}/s; -1 lifts it.
   */
  private static void quota(Sandbox sandbox, double bytes) throws Exception {
    ClientQuotaEntity entity =
        new ClientQuotaEntity(
            Map.of(ClientQuotaEntity.CLIENT_ID, dev.kafkadr.config.Quotas.clientId(flow())));
    try (Admin admin = Admin.create(sandbox.secondary().adminConfig())) {
      admin
          .alterClientQuotas(
              List.of(
                  new ClientQuotaAlteration(
                      entity,
                      List.of(
                          new ClientQuotaAlteration.Op(
                              "producer_byte_rate",
                              bytes < 0 ? null : (double) Math.round(bytes))))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static String flow() {
    return TENANT + "." + Sandbox.PRIMARY + "-to-" + Sandbox.SECONDARY;
  }
}
