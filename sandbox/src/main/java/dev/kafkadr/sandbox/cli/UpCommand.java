package dev.kafkadr.sandbox.cli;

import dev.kafkadr.sandbox.Sandbox;
import dev.kafkadr.sandbox.SandboxBuilder;
import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.StaleSandboxes;
import dev.kafkadr.sandbox.process.Io;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code up}: starts the stack and keeps it running until Ctrl-C, SIGTERM or {@code down}. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the two-region stack.")
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** File written in the work directory once every process is ready. */
  static final String READY_FILE = "ready";

  @Mixin StackOptions stack;

  @Option(names = "--brokers", defaultValue = "1", description = "Brokers per cluster (1 or 3).")
  int brokers;

  @Option(names = "--workers", defaultValue = "1", description = "Connect workers.")
  int workers;

  @Option(
      names = "--exactly-once-workers",
      defaultValue = "0",
      description =
          "Connect workers in a second group with exactly.once.source.support=enabled"
              + " (for tenants with delivery: exactly-once). Default: ${DEFAULT-VALUE}.")
  int exactlyOnceWorkers;

  @Option(names = "--no-dns", description = "Do not start BIND.")
  boolean noDns;

  @Option(
      names = "--plugin-path",
      description = "Extra directory for the Connect workers' plugin.path (repeatable).")
  List<Path> pluginPath = new ArrayList<>();

  @Option(
      names = "--detach",
      description = "Start in the background and return once ready; stop with `down`.")
  boolean detach;

  @Override
  public Integer call() throws Exception {
    if (detach) {
      return detach();
    }
    SandboxBuilder builder =
        Sandbox.builder()
            .name(stack.name)
            .root(stack.root())
            .brokersPerCluster(brokers)
            .connectWorkers(workers)
            .exactlyOnceWorkers(exactlyOnceWorkers)
            .dns(!noDns);
    pluginPath.forEach(builder::pluginPath);
    CountDownLatch forever = new CountDownLatch(1);
    try (Sandbox sandbox = builder.start()) {
      out().println(sandbox.summary());
      out().println("description: " + sandbox.workDir().resolve(StackDescription.FILE_NAME));
      out().println("stop with Ctrl-C or: kdr-sandbox down --name " + stack.name);
      out().flush();
      Files.writeString(sandbox.workDir().resolve(READY_FILE), "ready\n");
      forever.await();
    }
    return 0;
  }

  /** Runs {@code up} again in a new session, and waits for it to be ready or to fail. */
  private int detach() throws IOException {
    Path out = stack.root().resolve(stack.name + ".out");
    Files.createDirectories(stack.root());
    List<String> command = new ArrayList<>();
    command.add("setsid");
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SandboxCli.class.getName());
    command.addAll(
        List.of(
            "up",
            "--name",
            stack.name,
            "--root",
            stack.root().toString(),
            "--brokers",
            Integer.toString(brokers),
            "--workers",
            Integer.toString(workers),
            "--exactly-once-workers",
            Integer.toString(exactlyOnceWorkers)));
    if (noDns) {
      command.add("--no-dns");
    }
    pluginPath.forEach(p -> command.addAll(List.of("--plugin-path", p.toString())));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    Path ready = stack.workDir().resolve(READY_FILE);
    while (!Files.exists(ready)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new SandboxException(
            "sandbox did not start; its output (" + out + "):\n" + Files.readString(out));
      }
      Io.sleep(200);
    }
    out().println(Files.readString(out).strip());
    out()
        .println(
            "running in the background as PID "
                + process.pid()
                + "; supervisor alive: "
                + StaleSandboxes.supervisorAlive(stack.workDir()));
    return 0;
  }
}
