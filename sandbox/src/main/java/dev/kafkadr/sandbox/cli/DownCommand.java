package dev.kafkadr.sandbox.cli;

import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.StaleSandboxes;
import dev.kafkadr.sandbox.process.Io;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code down}: stops a sandbox. Asks its supervisor to stop (it stops every child by PID and
 * removes the work directory); if the supervisor is gone, kills leftovers by PID itself.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop a sandbox and delete its files.")
final class DownCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Mixin StackOptions stack;

  @Override
  public Integer call() throws Exception {
    Path workDir = stack.workDir();
    if (!Files.exists(workDir)) {
      out().println("no sandbox '" + stack.name + "' under " + stack.root() + "; nothing to stop");
      return 0;
    }
    Optional<ProcessHandle> supervisor = StaleSandboxes.supervisor(workDir);
    if (supervisor.isPresent()) {
      ProcessHandle handle = supervisor.get();
      handle.destroy();
      try {
        handle.onExit().get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        err().println("supervisor PID " + handle.pid() + " did not stop in 60 s; killing it");
        handle.destroyForcibly();
      }
    }
    Path description = workDir.resolve(StackDescription.FILE_NAME);
    if (Files.exists(description)) {
      StaleSandboxes.killChildren(StackDescription.read(description).processes(), workDir);
    }
    Io.deleteTree(workDir);
    Files.deleteIfExists(stack.root().resolve(stack.name + ".out"));
    out().println("sandbox '" + stack.name + "' stopped and " + workDir + " removed");
    return 0;
  }
}
