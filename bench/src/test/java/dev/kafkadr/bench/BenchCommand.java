package dev.kafkadr.bench;

import dev.kafkadr.sandbox.PluginDirectories;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** A benchmark's command run in-process as {@code bin/*-bench} runs it, its output captured. */
final class BenchCommand {

  private BenchCommand() {}

  /**
   * Runs {@code command} with {@code args} and the build tree's plugin directory; its exit code and
   * everything it printed (printed again as it was, for the test's log).
   */
  static Map.Entry<Integer, String> run(Object command, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--plugin-dir", PluginDirectories.inBuildTree(Path.of("..")).toString()));
    PrintStream before = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      code = new CommandLine(command).execute(all.toArray(String[]::new));
    } finally {
      System.setOut(before);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    before.print(out);
    return Map.entry(code, out);
  }
}
