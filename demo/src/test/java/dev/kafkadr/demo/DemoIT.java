package dev.kafkadr.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.sandbox.SandboxOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo as a user runs it: lag shrinks to zero, the neighbour stays put, nothing is left. */
class DemoIT {

  private static final Pattern LAG = Pattern.compile("lag +([\\d,]+) records");

  @Test
  void showsReplicationCatchingUpThenASwitchoverAndFailbackAndStopsEverything() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int[] code = {-1};
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Thread demo =
          new Thread(
              () ->
                  code[0] =
                      new CommandLine(new Demo())
                          .execute(
                              "--duration",
                              "12s",
                              "--backlog",
                              "30000",
                              "--rate",
                              "500",
                              "--keep",
                              "--plugin-dir",
                              System.getProperty("kdr.plugin.dir")));
      demo.start();
      // --keep: the console stays up for a person; a look at it, then Ctrl-C (here, an interrupt).
      Awaitility.await()
          .atMost(Duration.ofMinutes(4))
          .until(
              () ->
                  !demo.isAlive() || captured.toString(StandardCharsets.UTF_8).contains("--keep:"));
      assertThat(demo.isAlive())
          .as(
              "the demo waits with --keep; its output:%n%s",
              captured.toString(StandardCharsets.UTF_8))
          .isTrue();
      lookAtTheConsole(captured.toString(StandardCharsets.UTF_8));
      demo.interrupt();
      demo.join(Duration.ofSeconds(90).toMillis());
      assertThat(demo.isAlive()).as("the demo stops once interrupted").isFalse();
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    assertThat(code[0]).isZero();
    List<Long> lags =
        LAG.matcher(output)
            .results()
            .map(m -> Long.parseLong(m.group(1).replace(",", "")))
            .toList();
    assertThat(lags).hasSizeGreaterThanOrEqualTo(8);
    assertThat(lags.get(0)).isGreaterThan(10_000);
    assertThat(lags.subList(lags.size() - 3, lags.size()))
        .allSatisfy(l -> assertThat(l).isLessThan(1_000));
    assertThat(output)
        .contains("first record on secondary: demo.orders-0@0", "kdr.provenance=1;0;");
    assertThat(output)
        .contains(
            "switchover of demo: primary -> secondary",
            "switchover of demo done: RPO 0 records lost (measured after the drain); RTO",
            "failback of demo: secondary -> primary",
            "failback of demo done: RPO 0 records lost (measured after the drain); RTO",
            "0 lost, 0 read twice");
    assertThat(output).doesNotContain("application error");
    assertThat(output).contains("tenant demo-eu's topic on secondary: absent");
    assertThat(output).contains("demo stopped");
    assertThat(SandboxOptions.defaultRoot().resolve("demo"))
        .as("the demo's work directory")
        .doesNotExist();
  }

  /** The printed console URL answers with the printed login file's user; the file is mode 600. */
  private static void lookAtTheConsole(String output) throws Exception {
    var m =
        Pattern.compile("DR console: (https://\\S+/) \\(log in as the user in (\\S+),")
            .matcher(output);
    assertThat(m.find()).as("the console's URL and login file are printed").isTrue();
    Path login = Path.of(m.group(2));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(login)))
        .isEqualTo("rw-------");
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(login)) {
      p.load(in);
    }
    assertThat(p.getProperty("url")).isEqualTo(m.group(1));
    assertThat(output).doesNotContain(p.getProperty("password"));
    // The console serves HTTPS only, with a certificate of the sandbox's CA, named in the file.
    HttpClient http =
        dev.kafkadr.client.ControllerTls.trusting(Path.of(p.getProperty("cacert")))
            .httpClient()
            .build();
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (p.getProperty("user") + ":" + p.getProperty("password"))
                        .getBytes(StandardCharsets.UTF_8));
    for (String path : List.of("", "api/tenants")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(m.group(1) + path))
                  .header("Authorization", auth)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).contains(path.isEmpty() ? "DR console" : "\"tenant\":\"demo\"");
    }
  }

  @Test
  void aBadDurationIsRejectedNamingTheOption() {
    assertThat(
            new CommandLine(new Demo())
                .setErr(new java.io.PrintWriter(new java.io.StringWriter()))
                .execute("--duration", "soon"))
        .isEqualTo(2);
  }
}
