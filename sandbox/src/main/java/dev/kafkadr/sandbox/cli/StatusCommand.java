package dev.kafkadr.sandbox.cli;

import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.process.Signals;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status}: what runs, where, and whether each process is up, paused or gone. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a sandbox's processes.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Mixin StackOptions stack;

  @Option(names = "--json", description = "Print the stack description as JSON.")
  boolean json;

  @Override
  public Integer call() {
    StackDescription d = stack.description();
    if (json) {
      out().println(d.toJson());
      return 0;
    }
    out().printf("sandbox %s  (%s)%n", d.name(), d.workDir());
    d.clusters()
        .values()
        .forEach(
            c ->
                out()
                    .printf(
                        "  %-10s bootstrap %s  cluster id %s%n",
                        c.name(), c.bootstrapServers(), c.clusterId()));
    d.connect().forEach(w -> out().printf("  %-10s %s%n", w.role(), w.restUrl()));
    if (d.dns() != null) {
      out()
          .printf(
              "  %-10s 127.0.0.1:%d zone %s, TSIG key %s (%s) in %s%n",
              "dns",
              d.dns().port(),
              d.dns().zone(),
              d.dns().tsigKeyName(),
              d.dns().tsigAlgorithm(),
              d.dns().tsigKeyFile());
    }
    out().printf("%n  %-20s %8s  %-8s %9s  %s%n", "ROLE", "PID", "STATE", "RSS(MiB)", "PORTS");
    long total = 0;
    for (StackDescription.Proc p : d.processes()) {
      String state =
          !Signals.isAlive(p.pid()) ? "gone" : Signals.isPaused(p.pid()) ? "paused" : "running";
      long rss = Signals.residentBytes(p.pid()).orElse(0L);
      total += rss;
      out()
          .printf(
              "  %-20s %8d  %-8s %9d  %s%n",
              p.role(),
              p.pid(),
              state,
              rss >> 20,
              p.ports().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    out().printf("  %-20s %8s  %-8s %9d%n", "total", "", "", total >> 20);
    out().flush();
    return 0;
  }
}
