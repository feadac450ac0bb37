package dev.kafkadr.sandbox.cli;

import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.process.Signals;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sends a signal to one process of a sandbox, chosen by role, for chaos experiments. */
abstract class SignalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Mixin StackOptions stack;

  @Parameters(
      index = "0",
      paramLabel = "ROLE",
      description = "e.g. primary-broker-2, connect-1, dns")
  String role;

  abstract void send(long pid);

  abstract String verb();

  @Override
  public Integer call() {
    StackDescription description = stack.description();
    StackDescription.Proc proc = description.process(role);
    String marker = description.workDir();
    boolean ours = Signals.commandLine(proc.pid()).map(c -> c.contains(marker)).orElse(false);
    if (!Signals.isAlive(proc.pid()) || !ours) {
      throw new SandboxException(role + " (PID " + proc.pid() + ") is not running");
    }
    send(proc.pid());
    out().println(verb() + " " + role + " (PID " + proc.pid() + ")");
    return 0;
  }

  /** {@code kill ROLE}: SIGKILL, as a crash. */
  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description = "SIGKILL one process by role.")
  static final class Kill extends SignalCommand {
    @Override
    void send(long pid) {
      Signals.kill(pid);
    }

    @Override
    String verb() {
      return "killed";
    }
  }

  /** {@code pause ROLE}: SIGSTOP, as a hung process. */
  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "SIGSTOP one process by role.")
  static final class Pause extends SignalCommand {
    @Override
    void send(long pid) {
      Signals.stop(pid);
    }

    @Override
    String verb() {
      return "paused";
    }
  }

  /** {@code resume ROLE}: SIGCONT. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "SIGCONT one paused process.")
  static final class Resume extends SignalCommand {
    @Override
    void send(long pid) {
      Signals.resume(pid);
    }

    @Override
    String verb() {
      return "resumed";
    }
  }
}
