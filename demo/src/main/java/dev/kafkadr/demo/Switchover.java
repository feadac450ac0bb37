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

  /** The user a person logs in to the DR console with (read-only). */
  static final String VIEWER = "demo-viewer";

  private final Sandbox sandbox;
  private final Path dir;
  private final String password;
  private final boolean keep;

  /**
   * The act on {@code sandbox}, its files in {@code dir}; with {@code keep}, the stack and the
   * controller stay up after it until the demo is interrupted (Ctrl-C).
   */
  Switchover(Sandbox sandbox, Path dir, String password, boolean keep) {
    this.sandbox = sandbox;
    this.dir = dir;
    this.password = password;
    this.keep = keep;
  }

  void run() throws Exception {
    Map<String, String> config =
        ControllerProcess.sandboxConfig(
            sandbox,
            dir,
            Map.of(OPERATOR, "operator", CLIENT, "client", VIEWER, "viewer"),
            password);
    System.out.println("starting the failover controller...");
    try (ControllerProcess controller =
        new ControllerProcess(
            ControllerProcess.inBuildTree(), config, dir.resolve("controller.log"))) {
      // Ctrl-C runs shutdown hooks, not this block: the controller is stopped by its PID there.
      Thread stop = new Thread(controller::close, "demo-controller-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      try {
        act(controller);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or has run
        }
      }
    }
  }

  private void act(ControllerProcess controller) throws Exception {
    Path login = login(controller);
    System.out.println(
        "DR console: "
            + controller.url()
            + "/ (log in as the user in "
            + login
            + ", mode 600: user, password and the sandbox CA's certificate to trust)");
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
    if (keep) {
      System.out.println(
          "--keep: the stack and the controller stay up; the DR console is at "
              + controller.url()
              + "/ (login in "
              + login
              + "). Ctrl-C stops everything.");
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException stopped) {
        // The interruption is the request to stop, answered here: the resources close next.
        System.out.println("interrupted: stopping the controller and the stack...");
      }
    }
  }

  /**
   * The console's login for a person (viewer), in a file only its owner reads, with the certificate
   * a browser or {@code curl --cacert} trusts the console's with: its path.
   */
  private Path login(ControllerProcess controller) throws java.io.IOException {
    Path file = dir.resolve("console-login.properties");
    java.nio.file.Files.deleteIfExists(file);
    java.nio.file.Files.createFile(
        file,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    java.nio.file.Files.writeString(
        file,
        "url="
            + controller.url()
            + "/\nuser="
            + VIEWER
            + "\npassword="
            + password
            + "\ncacert="
            + sandbox.tls().caCertificate()
            + "\n");
    return file;
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
                  "--truststore",
                  sandbox.tls().caCertificate().toString(),
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
