package dev.kafkadr.controller;

import static io.restassured.RestAssured.given;

import dev.kafkadr.config.auth.PasswordHash;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Password guessing against the controller under test, as an attacker does it: logins from client
 * addresses the tests name through {@code X-Forwarded-For} (the test profile trusts 127.0.0.1 as a
 * proxy), a user of its own in the users file, and a bystander whose latency is measured meanwhile.
 */
final class PasswordGuessing {

  /** The user the guesses are at; a user only these tests log in as. */
  static final String VICTIM = "login-victim";

  /** Its password. */
  static final String PASSWORD = "the victim's own passphrase";

  private static final Pattern SAMPLE =
      Pattern.compile("^(kdr_auth_[a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

  private PasswordGuessing() {}

  /**
   * Writes {@link #VICTIM} into the users file with a new hash of {@link #PASSWORD}: its logins
   * verified so far are forgotten, since the stored hash they verified against is gone.
   */
  static void newVictimHash() throws IOException {
    Path file = Path.of(ConfigProvider.getConfig().getValue("kdr.auth.users-file", String.class));
    FileTime before = Files.getLastModifiedTime(file);
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.startsWith(VICTIM + "=")) {
        lines.add(line);
      }
    }
    lines.add(VICTIM + "=viewer:" + PasswordHash.hash(PASSWORD.toCharArray()));
    Files.write(file, lines, StandardCharsets.UTF_8);
    // The controller reads the file again when its time changes: make sure it does.
    long at = Math.max(System.currentTimeMillis(), before.toMillis() + 1000);
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochMilli(at)));
  }

  /** A login of {@code user} with {@code password} from the client address {@code from}. */
  static Response login(String user, String password, String from) {
    return given()
        .header("X-Forwarded-For", from)
        .auth()
        .preemptive()
        .basic(user, password)
        .get("/api/tenants");
  }

  /** The controller's {@code kdr_auth_*} samples, by name and labels as scraped. */
  static Map<String, Double> authMetrics() {
    String text = Api.viewer().get("/q/metrics").then().statusCode(200).extract().asString();
    Map<String, Double> out = new HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  /** How much {@code sample} grew from {@code before} to {@code after} (absent counts as 0). */
  static double grew(Map<String, Double> before, Map<String, Double> after, String sample) {
    return after.getOrDefault(sample, 0.0) - before.getOrDefault(sample, 0.0);
  }

  /** The password hashes done between two scrapes (logins checked and not remembered). */
  static double hashes(Map<String, Double> before, Map<String, Double> after) {
    return grew(before, after, "kdr_auth_password_checks_total{outcome=\"verified\"}")
        + grew(before, after, "kdr_auth_password_checks_total{outcome=\"refused\"}");
  }

  /**
   * A user of the API that keeps calling it (the viewer's tenant list, one call every 20 ms: a
   * hundred times the status page's pace) until closed; each call's latency kept.
   */
  static final class Bystander implements AutoCloseable {

    private final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failed;

    Bystander() {
      int port = io.restassured.RestAssured.port;
      thread =
          new Thread(
              () -> {
                try {
                  // Its first call may hash its password; the status page's later ones do not.
                  given()
                      .port(port)
                      .auth()
                      .preemptive()
                      .basic(SandboxTenants.VIEWER, SandboxTenants.PASSWORD)
                      .get("/api/tenants");
                  while (!stop) {
                    long start = System.nanoTime();
                    int status =
                        given()
                            .port(port)
                            .auth()
                            .preemptive()
                            .basic(SandboxTenants.VIEWER, SandboxTenants.PASSWORD)
                            .get("/api/tenants")
                            .statusCode();
                    micros.add((System.nanoTime() - start) / 1000);
                    if (status != 200) {
                      throw new AssertionError("the bystander's call answered " + status);
                    }
                    Thread.sleep(20); // pacing the load, not waiting for anything
                  }
                } catch (Throwable e) {
                  failed = e;
                }
              },
              "bystander");
      thread.start();
    }

    /** The calls' latencies in microseconds, sorted; fails if a call did not answer 200. */
    List<Long> latencies() {
      if (failed != null) {
        throw new AssertionError("the bystander failed", failed);
      }
      List<Long> sorted = new ArrayList<>(micros);
      Collections.sort(sorted);
      return sorted;
    }

    /** The {@code q}-quantile of the latencies, in milliseconds (nearest rank). */
    double quantileMillis(double q) {
      List<Long> sorted = latencies();
      int rank = (int) Math.ceil(q * sorted.size()) - 1;
      return sorted.get(Math.max(0, rank)) / 1000.0;
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(10_000);
    }
  }
}
