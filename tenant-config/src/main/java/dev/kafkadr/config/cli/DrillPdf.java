package dev.kafkadr.config.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Prints a drill report page to PDF with a headless Chromium ({@code --print-to-pdf}), for an
 * auditor who wants a document rather than a page. Chromium is not a dependency of kafka-dr: it is
 * the one given, or the first of {@code chromium}, {@code chromium-browser}, {@code google-chrome}
 * on the PATH. Its profile is a temporary directory, removed afterwards; a print that takes more
 * than 90 s is stopped (its process, by PID).
 */
final class DrillPdf {

  private static final List<String> NAMES =
      List.of("chromium", "chromium-browser", "google-chrome");

  private DrillPdf() {}

  /**
   * Prints {@code html} to {@code pdf}.
   *
   * @param binary the Chromium to use, or null to look on the PATH
   * @return why it could not, or empty when {@code pdf} was written
   */
  static Optional<String> print(Path binary, Path html, Path pdf) throws Exception {
    Optional<Path> chromium = binary != null ? Optional.of(binary) : onPath();
    if (chromium.isEmpty() || !Files.isExecutable(chromium.get())) {
      return Optional.of(
          "--pdf needs Chromium: none of "
              + NAMES
              + " is on the PATH"
              + (binary != null ? " and " + binary + " is not executable" : "")
              + " (apt-get install chromium, or --chromium PATH)");
    }
    Path profile = Files.createTempDirectory("kdr-pdf-chromium");
    Path log = Files.createTempFile("kdr-pdf-chromium", ".log");
    try {
      Process p =
          new ProcessBuilder(
                  chromium.get().toString(),
                  "--headless",
                  "--disable-gpu",
                  "--no-sandbox", // run as root in containers and CI; it reads one local file
                  "--no-pdf-header-footer",
                  "--user-data-dir=" + profile,
                  "--print-to-pdf=" + pdf.toAbsolutePath(),
                  html.toAbsolutePath().toUri().toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return Optional.of("Chromium did not print " + html + " within 90 s");
      }
      if (p.exitValue() != 0 || !Files.exists(pdf) || Files.size(pdf) == 0) {
        return Optional.of(
            "Chromium exited " + p.exitValue() + " without printing " + pdf + ": " + lastLine(log));
      }
      return Optional.empty();
    } finally {
      Files.deleteIfExists(log);
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private static Optional<Path> onPath() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : NAMES) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (!dir.isEmpty() && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static String lastLine(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
  }
}
