package dev.kafkadr.controller;

import dev.kafkadr.config.ConnectConfigs;
import dev.kafkadr.config.ConnectPlacement;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.config.apply.ConfigApplier;
import dev.kafkadr.config.apply.ConfigPlan;
import dev.kafkadr.config.auth.PasswordHash;
import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.sandbox.Sandbox;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Starts the sandbox with kafka-dr's plugins for the controller under test: two tenants, {@code
 * acme} and {@code other}, replicated primary -> secondary by {@code kdr config apply}'s code, and
 * the controller pointed at their tenants file, scanning every second.
 */
public class SandboxTenants implements QuarkusTestResourceLifecycleManager {

  static Sandbox sandbox;

  /** Users of the controller's API in the tests, one per role, all with {@link #PASSWORD}. */
  static final String VIEWER = "ada-viewer";

  static final String OPERATOR = "olu-operator";
  static final String CLIENT = "cai-client";

  /** A team's users: operator, and viewer, of tenant {@code acme} only. */
  static final String ACME_OPERATOR = "tia-acme-operator";

  static final String ACME_VIEWER = "vic-acme-viewer";
  static final String PASSWORD = java.util.UUID.randomUUID().toString();

  @Override
  public Map<String, String> start() {
    try {
      var builder =
          Sandbox.builder()
              .dns(false)
              .pluginPath(Path.of(System.getProperty("sandbox.plugin.dir")))
              .exactlyOnceWorkers(exactlyOnceWorkers());
      if (lockConnectRest()) {
        builder.lockConnectRest();
      }
      if (secured()) {
        builder.secured();
      }
      long t0 = System.nanoTime();
      sandbox = (withDns() ? builder.requireDns() : builder).start();
      long t1 = System.nanoTime();
      // The workflow tests fail back: replication writes to primary too.
      sandbox.primary().grantPrincipals(true);
      sandbox.primary().createTopics(topics());
      Path dir = Files.createTempDirectory("kdr-controller-it");
      Path file = dir.resolve("tenants.yaml");
      Files.writeString(file, String.join("\n", clusters().stripTrailing(), flowsAndTenants(), ""));
      StringWriter progress = new StringWriter();
      TenantsFile parsed = TenantsFileParser.parse(file);
      ConfigApplier applier =
          new ConfigApplier(connectClusters(parsed), new PrintWriter(progress, true));
      ConfigPlan plan =
          ConfigPlan.across(ConnectConfigs.renderByCluster(parsed), applier.currentByCluster());
      long t2 = System.nanoTime();
      List<String> failures = applier.apply(plan, Duration.ofSeconds(90));
      if (!failures.isEmpty()) {
        throw new IllegalStateException("connectors not running: " + failures + "\n" + progress);
      }
      long t3 = System.nanoTime();
      prepare(TenantsFileParser.parse(file));
      printSetup(t0, t1, t2, t3);
      Path users = dir.resolve("users.properties");
      Files.writeString(
          users,
          String.join(
              "\n",
              VIEWER + "=viewer:" + PasswordHash.hash(PASSWORD.toCharArray()),
              OPERATOR + "=operator:" + PasswordHash.hash(PASSWORD.toCharArray()),
              CLIENT + "=client:" + PasswordHash.hash(PASSWORD.toCharArray()),
              ACME_OPERATOR + "=operator@acme:" + PasswordHash.hash(PASSWORD.toCharArray()),
              ACME_VIEWER + "=viewer@acme:" + PasswordHash.hash(PASSWORD.toCharArray()),
              ""));
      Map<String, String> config = new java.util.HashMap<>();
      sandbox
          .connectRestCredentials()
          .ifPresent(
              rest -> {
                config.put("kdr.connect-rest.user", rest.user());
                config.put("kdr.connect-rest.password", rest.password());
              });
      config.putAll(controllerConfig(file, users, dir));
      if (secured()) {
        // The controller logs in as its own principal; Connect's REST API is HTTPS.
        String identity =
            sandbox.clientIdentity(dev.kafkadr.sandbox.kafka.ClusterSecurity.CONTROLLER).toString();
        config.put(dev.kafkadr.config.ClientIdentity.property(Sandbox.PRIMARY), identity);
        config.put(dev.kafkadr.config.ClientIdentity.property(Sandbox.SECONDARY), identity);
        config.put("kdr.connect-rest.truststore", sandbox.tls().caCertificate().toString());
      }
      return config;
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("sandbox for the controller tests: " + e.getMessage(), e);
    }
  }

  /** The sandbox's Connect cluster and every other one the tenants file names, by name. */
  private static Map<String, ConnectRestClient> connectClusters(TenantsFile parsed) {
    Map<String, ConnectRestClient> clusters = new LinkedHashMap<>();
    clusters.put(ConnectPlacement.DEFAULT_CLUSTER, sandbox.connect());
    parsed
        .connect()
        .clusters()
        .forEach(
            (n, c) ->
                clusters.put(
                    n,
                    new ConnectRestClient(
                        c.url(),
                        sandbox.connectRestCredentials(),
                        sandbox.connectRestTrust(),
                        () -> {})));
    return clusters;
  }

  /**
   * Prints where this sandbox's setup went (seconds): the sandbox, its topics, grants and connector
   * plan, its connectors until running, the subclass's preparation; every class that starts one
   * pays it.
   */
  private void printSetup(long started, long up, long topics, long running) {
    System.out.printf(
        "%s: sandbox up in %.1f s, topics, grants and plan %.1f s, connectors running in %.1f s,"
            + " prepared in %.1f s%n",
        getClass().getSimpleName(),
        (up - started) / 1e9,
        (topics - up) / 1e9,
        (running - topics) / 1e9,
        (System.nanoTime() - running) / 1e9);
  }

  private static Map<String, String> controllerConfig(Path file, Path users, Path dir) {
    return Map.of(
        "kdr.tenants-file",
        file.toString(),
        "kdr.scan.interval",
        "1s",
        "kdr.connect.secondary",
        sandbox.connectRestUrl(),
        "kdr.connect.primary",
        sandbox.connectRestUrl(),
        "kdr.auth.users-file",
        users.toString(),
        "kdr.workflow.journal-dir",
        dir.resolve("workflows").toString(),
        "kdr.workflow.settle-timeout",
        "10s");
  }

  /**
   * Whether the sandbox runs in its secured mode (every listener TLS, each component its own
   * principal, Connect's REST API HTTPS and locked); off unless a subclass says so.
   */
  protected boolean secured() {
    return false;
  }

  /**
   * Whether the workers' REST API takes only the sandbox's REST user, which the controller under
   * test is then given ({@code kdr.connect-rest.*}); off unless a subclass says so.
   */
  protected boolean lockConnectRest() {
    return false;
  }

  /**
   * Follows {@code tenant}'s entry in the registry of the controller under test, as the tenant's
   * applications do (user {@link #CLIENT}, read every 200 ms).
   */
  static dev.kafkadr.client.RegistryWatcher watch(String tenant) throws java.io.IOException {
    return new dev.kafkadr.client.RegistryWatcher(
        new dev.kafkadr.client.Registry(
            List.of(java.net.URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port)),
            Files.createTempDirectory("kdr-client-cache"),
            Duration.ofSeconds(2),
            CLIENT,
            PASSWORD,
            // The controller under test in this JVM serves plain HTTP.
            dev.kafkadr.client.ControllerTls.plainHttpAllowed()),
        tenant,
        Duration.ofMillis(200));
  }

  /**
   * Workers of the sandbox's exactly-once Connect group (declared as {@code eos} by {@link
   * Sandbox#tenantsFileConnectClusters()}); none unless a subclass has exactly-once tenants.
   */
  protected int exactlyOnceWorkers() {
    return 0;
  }

  /** Whether the sandbox runs its DNS server (BIND), required then; not by default. */
  protected boolean withDns() {
    return false;
  }

  /** What a subclass sets up once replication runs (users, ACLs). */
  protected void prepare(dev.kafkadr.config.TenantsFile file) throws Exception {}

  /** The topics created on the primary before replication starts. */
  protected NewTopic[] topics() {
    return new NewTopic[] {
      new NewTopic("acme.orders", 2, (short) 1),
      new NewTopic("acme.payments", 1, (short) 1),
      new NewTopic("other.events", 1, (short) 1)
    };
  }

  /**
   * The clusters section of the tenants file: how the controller and MirrorMaker 2 reach each
   * cluster (by default, straight).
   */
  protected String clusters() {
    return sandbox.tenantsFileClusters();
  }

  /** The flows and tenants sections of the tenants file. */
  protected String flowsAndTenants() {
    return String.join(
        "\n",
        "flows:",
        "  - {source: primary, target: secondary, tenants: [acme, other]}",
        "tenants:",
        tenant("acme", "30s", ""),
        tenant("other", "1m", ""));
  }

  /** A tenant entry with fast refresh settings; {@code extra} adds lines to it. */
  /**
   * The tenants file's {@code traffic} section naming each cluster's secured listener as the
   * bootstrap its tenants' clients use.
   */
  protected static String clientBootstraps() {
    return String.join(
        "\n",
        "traffic:",
        "  clusters:",
        "    primary: {clientBootstrap: \"" + sandbox.primary().tenantBootstrapServers() + "\"}",
        "    secondary: {clientBootstrap: \""
            + sandbox.secondary().tenantBootstrapServers()
            + "\"}");
  }

  protected static String tenant(String id, String rpo, String extra) {
    return String.join(
        "\n",
        "  - id: " + id,
        "    topics: {include: [\"" + id + "\\\\..*\"]}",
        "    groups: {include: [\"" + id + "-.*\"]}",
        "    rpo: " + rpo,
        "    rto: 5m",
        "    overrides: {replication.factor: 1, refresh.topics.interval.seconds: 1,",
        "                refresh.groups.interval.seconds: 1, emit.checkpoints.interval.seconds: 1"
            + extra
            + "}");
  }

  @Override
  public void stop() {
    if (sandbox != null) {
      sandbox.close();
      sandbox = null;
    }
  }
}
