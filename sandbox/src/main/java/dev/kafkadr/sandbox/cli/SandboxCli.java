package dev.kafkadr.sandbox.cli;

import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.sandbox.SandboxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kdr-sandbox}: start, inspect, disturb and stop the local two-region stack.
 *
 * <p>Exit codes: 0 done, 1 the sandbox failed (message says which process and why), 2 bad usage.
 */
@Command(
    name = "kdr-sandbox",
    mixinStandardHelpOptions = true,
    description = "The local two-region Kafka stack of kafka-dr.",
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      SignalCommand.Kill.class,
      SignalCommand.Pause.class,
      SignalCommand.Resume.class
    })
public final class SandboxCli {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured picocli command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new SandboxCli())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof SandboxException
                  || e instanceof ConnectRestException
                  || e instanceof IllegalStateException) {
                cmd.getErr().println("kdr-sandbox: " + e.getMessage());
                return 1;
              }
              throw e;
            });
  }
}
