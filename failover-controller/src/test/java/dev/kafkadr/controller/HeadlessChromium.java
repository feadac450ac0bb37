package dev.kafkadr.controller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for tests of the status page: loads a page, lets its scripts run,
 * and returns the resulting DOM. The browser and every process it started are stopped by PID,
 * whatever happens.
 */
final class HeadlessChromium {

  private HeadlessChromium() {}

  /**
   * The DOM of the status page of the controller under test, loaded as the viewer of {@link
   * SandboxTenants}, after 5 s of its scripts.
   */
  static String statusPage() throws IOException, InterruptedException {
    return dom(
        "http://"
            + SandboxTenants.VIEWER
            + ":"
            + SandboxTenants.PASSWORD
            + "@127.0.0.1:"
            + io.restassured.RestAssured.port
            + "/",
        Duration.ofSeconds(5));
  }

  /** The DOM of {@code url} after its scripts have run for {@code scriptTime} of virtual time. */
  static String dom(String url, Duration scriptTime) throws IOException, InterruptedException {
    return run(url, List.of("--virtual-time-budget=" + scriptTime.toMillis(), "--dump-dom"), null);
  }

  /**
   * Saves a screenshot of {@code url} (1280 x 2400), after 5 s of its scripts' virtual time (so a
   * page that fetches what it shows has shown it), to {@code png}; returns the console messages
   * Chromium logged while loading it (lines with {@code CONSOLE}), empty when there were none.
   */
  static List<String> screenshot(String url, Path png) throws IOException, InterruptedException {
    Path log = Files.createTempFile("kdr-chromium", ".log");
    run(
        url,
        List.of(
            "--screenshot=" + png.toAbsolutePath(),
            "--virtual-time-budget=5000",
            "--window-size=1280,2400",
            "--enable-logging=stderr",
            "--v=0"),
        log);
    return Files.readAllLines(log).stream().filter(l -> l.contains("CONSOLE")).toList();
  }

  private static String run(String url, List<String> options, Path stderr)
      throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/chromium");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "chromium is not installed: bin/test installs it as root; otherwise apt-get install"
              + " chromium");
    }
    Path profile = Files.createTempDirectory("kdr-chromium");
    Path out = profile.resolve("dom.html");
    Process browser =
        new ProcessBuilder(
                java.util.stream.Stream.of(
                        List.of(
                            binary.toString(),
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--no-first-run",
                            "--user-data-dir=" + profile),
                        options,
                        List.of(url))
                    .flatMap(List::stream)
                    .toList())
            .redirectOutput(out.toFile())
            .redirectError(
                stderr == null
                    ? ProcessBuilder.Redirect.DISCARD
                    : ProcessBuilder.Redirect.to(stderr.toFile()))
            .start();
    try {
      if (!browser.waitFor(90, TimeUnit.SECONDS)) {
        throw new IllegalStateException("chromium did not finish loading " + url + " in 90 s");
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      browser.descendants().forEach(ProcessHandle::destroyForcibly);
      browser.destroyForcibly();
      browser.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
