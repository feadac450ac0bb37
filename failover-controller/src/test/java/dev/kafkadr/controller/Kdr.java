package dev.kafkadr.controller;

import dev.kafkadr.config.cli.KdrCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** The {@code kdr} command line, run in-process as an operator would run it. */
final class Kdr {

  private Kdr() {}

  /**
   * Runs {@code kdr <args>} against the controller under test in this JVM, as {@code user} (one of
   * {@link SandboxTenants}' users, all with its password).
   */
  static Map.Entry<Integer, String> asUser(String user, String... args) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
    all.addAll(
        java.util.List.of(
            "--controller", "http://127.0.0.1:" + io.restassured.RestAssured.port, "--user", user));
    return run(all.toArray(String[]::new));
  }

  /**
   * Runs {@code kdr <args>} with the operator's password where a command asks for one (as {@code
   * KDR_PASSWORD} would give it); returns its exit code and everything it printed.
   */
  static Map.Entry<Integer, String> run(String... args) {
    StringWriter out = new StringWriter();
    System.setProperty("kafka-dr.password", SandboxTenants.PASSWORD);
    // The controller under test in this JVM serves plain HTTP (as --insecure allows); a packaged
    // one serves HTTPS, and its tests pass --truststore.
    System.setProperty("kafka-dr.insecure", "true");
    try {
      int code =
          KdrCli.commandLine()
              .setOut(new PrintWriter(out, true))
              .setErr(new PrintWriter(out, true))
              .execute(args);
      return Map.entry(code, out.toString());
    } finally {
      System.clearProperty("kafka-dr.password");
      System.clearProperty("kafka-dr.insecure");
    }
  }
}
