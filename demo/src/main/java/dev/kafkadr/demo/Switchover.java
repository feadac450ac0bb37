package dev.kafkadr.demo;

import dev.kafkadr.client.Registry;
import dev.kafkadr.client.RegistryWatcher;
import dev.kafkadr.config.cli.KdrCli;
import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.process.ControllerProcess;
import dev.kafkadr.testkit.apps.TenantLoad;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The demo's second act: the failover controller switches tenant {@code demo} over to secondary and
 * back (a DR drill), through {@code kdr switchover} and {@code kdr failback} as an operator runs
 * them, while the tenant's application keeps producing and consuming through the client helper; the
 * RPO (records lost) and RTO achieved are printed.
 */
final class Switchover {

  /** The tenant application's users. */
  static final String PRODUCER = "demo-producer";

  static final String CONSUMER = "demo-consumer";

  /** The topic the tenant's application writes and reads during the drill. */
  static final NewTopic CHECKOUT = new NewTopic("demo.checkout", 2, (short) 1);

  private static final String OPERATOR = "demo-operator";
  private static final String CLIENT = "demo-client";

  private final Sandbox sandbox;
  private final Path dir;
  private final String password;

  Switchover(Sandbox sandbox, Path dir, String password) {
    this.sandbox = sandbox;
    this.dir = dir;
    this.password = password;
  }

  void run() throws Exception {
    Map<String, String> config =
        ControllerProcess.sandboxConfig(
            sandbox, dir, Map.of(OPERATOR, "operator", CLIENT, "client"), password);
    System.out.println("starting the failover controller...");
    try (ControllerProcess controller =
        new ControllerProcess(
            ControllerProcess.inBuildTree(), config, dir.resolve("controller.log"))) {
      Registry registry = controller.registry(dir.resolve("client-cache"), CLIENT, password);
      try (RegistryWatcher watcher = new RegistryWatcher(registry, "demo", Duration.ofMillis(200));
          TenantLoad app =
              new TenantLoad(
                  watcher,
                  CHECKOUT.name(),
                  "demo-app",
                  Sandbox.SECONDARY,
                  auth(PRODUCER),
                  auth(CONSUMER))) {
        System.out.println(
            "tenant demo's application: producing orders to "
                + CHECKOUT.name()
                + " and consuming them as group demo-app, through the client helper");
        waitFor(app, 200);
        workflow(controller, "switchover");
        waitFor(app, app.sent() + 200);
        workflow(controller, "failback");
        waitFor(app, app.sent() + 200);
        app.finish();
        System.out.println("tenant demo's application: " + app.summary());
      }
    }
  }

  /** Runs {@code kdr <kind> --tenant demo --yes} as the operator, its output shown as it goes. */
  private void workflow(ControllerProcess controller, String kind) {
    // The operator's password reaches the CLI as it would from KDR_PASSWORD, never as an argument.
    System.setProperty("kafka-dr.password", password);
    int code;
    try {
      code =
          KdrCli.commandLine()
              .setOut(new PrintWriter(System.out, true))
              .setErr(new PrintWriter(System.err, true))
              .execute(
                  kind,
                  "--tenant",
                  "demo",
                  "--yes",
                  "--controller",
                  controller.url(),
                  "--user",
                  OPERATOR);
    } finally {
      System.clearProperty("kafka-dr.password");
    }
    if (code != 0) {
      throw new IllegalStateException("kdr " + kind + " ended with exit code " + code);
    }
  }

  private Map<String, Object> auth(String user) {
    Map<String, Object> c = new HashMap<>(sandbox.primary().tenantClientConfig(user, password));
    c.remove("bootstrap.servers");
    return c;
  }

  private static void waitFor(TenantLoad app, int acked) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (app.sent() < acked && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
