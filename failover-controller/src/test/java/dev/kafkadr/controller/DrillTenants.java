package dev.kafkadr.controller;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The sandbox for the drill tests: tenant {@code audit} (topics {@code audit.*}, groups {@code
 * audit-*}, copied under MM2's prefixed names; a producer and a consumer with their ACLs on both
 * clusters; the producer registers a drill credential), with a compacted topic beside a plain one;
 * tenant {@code sched}, drilled every 5 seconds by the controller's scheduler, and scheduled every
 * 5 seconds outside its window too; tenant {@code quiet}, whose only drill window is later than the
 * test.
 */
public class DrillTenants extends SandboxTenants {

  /** The producer tenant {@code audit} declares, with its ACLs on both clusters. */
  static final String AUDIT_PRODUCER = "audit-app";

  /** The secret the drill webhook's bodies are signed with. */
  static final String WEBHOOK_SECRET = java.util.UUID.randomUUID().toString();

  /** Every drill webhook post received: its body and its {@code X-Kdr-Signature}. */
  static final java.util.List<String[]> WEBHOOK_POSTS =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private com.sun.net.httpserver.HttpServer webhook;

  /** The drills run on the secured sandbox: every listener TLS, the probe over SASL_SSL. */
  @Override
  protected boolean secured() {
    return true;
  }

  /** The sandbox, and a webhook receiver on 127.0.0.1 the controller posts drill outcomes to. */
  @Override
  public java.util.Map<String, String> start() {
    java.util.Map<String, String> config = new java.util.HashMap<>(super.start());
    try {
      webhook =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    } catch (java.io.IOException e) {
      stop();
      throw new java.io.UncheckedIOException(e);
    }
    webhook.createContext(
        "/drills",
        exchange -> {
          WEBHOOK_POSTS.add(
              new String[] {
                new String(
                    exchange.getRequestBody().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("X-Kdr-Signature")
              });
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    webhook.start();
    config.put(
        "kdr.drill.webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/drills");
    config.put("kdr.drill.webhook-secret", "${file:" + CREDENTIALS + ":webhook}");
    return config;
  }

  @Override
  public void stop() {
    if (webhook != null) {
      webhook.stop(0);
      webhook = null;
    }
    super.stop();
  }

  /** Where the drill credential of {@link #AUDIT_PRODUCER} is kept, mode 600. */
  static final java.nio.file.Path CREDENTIALS =
      java.nio.file.Path.of("target", "drill-credentials.properties").toAbsolutePath();

  @Override
  protected void prepare(dev.kafkadr.config.TenantsFile file) {
    dev.kafkadr.sandbox.TenantUsers.create(sandbox, file, PASSWORD);
    try {
      java.nio.file.Files.deleteIfExists(CREDENTIALS);
      java.nio.file.Files.createFile(
          CREDENTIALS,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      java.nio.file.Files.writeString(
          CREDENTIALS, AUDIT_PRODUCER + "=" + PASSWORD + "\nwebhook=" + WEBHOOK_SECRET + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Tenant {@code quiet}'s drill window (UTC): an hour that starts two hours from now, so that a
   * drill asked for during the test is outside it.
   */
  static final String QUIET_WINDOW = window();

  private static String window() {
    java.time.LocalTime from =
        java.time.LocalTime.now(java.time.ZoneOffset.UTC)
            .plusHours(2)
            .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    return from + "-" + from.plusHours(1);
  }

  @Override
  protected NewTopic[] topics() {
    return new NewTopic[] {
      new NewTopic("audit.orders", 3, (short) 1),
      new NewTopic("audit.ledger", 1, (short) 1)
          .configs(java.util.Map.of("cleanup.policy", "compact")),
      new NewTopic("sched.events", 1, (short) 1),
      new NewTopic("quiet.events", 1, (short) 1)
    };
  }

  @Override
  protected String flowsAndTenants() {
    return String.join(
        "\n",
        "flows:",
        "  - {source: primary, target: secondary, tenants: [audit, sched, quiet]}",
        "tenants:",
        tenant("audit", "30s", ""),
        "    access:",
        "      - {principal: \"User:" + AUDIT_PRODUCER + "\", role: producer,",
        // SASL_SSL, the default: the secured sandbox's listener for applications.
        "         drillCredential: {password: \"${file:"
            + CREDENTIALS
            + ":"
            + AUDIT_PRODUCER
            + "}\"}}",
        "      - {principal: \"User:audit-reader\", role: consumer}",
        tenant("sched", "30s", ""),
        "    drills:",
        "      - {kind: verify, schedule: \"0/5 * * * * ?\"}",
        "      - {schedule: \"2/5 * * * * ?\", window: \"" + QUIET_WINDOW + "\"}",
        tenant("quiet", "30s", ""),
        "    drills: [{schedule: \"0 0 3 * * ?\", window: \"" + QUIET_WINDOW + "\"}]",
        clientBootstraps());
  }
}
