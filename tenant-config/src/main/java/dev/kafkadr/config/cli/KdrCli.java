package dev.kafkadr.config.cli;

import dev.kafkadr.config.apply.ClusterApplier;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.tenant.TenantConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kdr}: the kafka-dr command line: {@code config} (the tenants file), {@code status} (the
 * failover controller's view of every tenant), the workflows {@code switchover}, {@code failover}
 * and {@code failback} (see {@link WorkflowCommand} for their exit codes), {@code drill} ({@link
 * DrillCommand}) and {@code auto-failover} ({@link AutoFailoverCommand}).
 *
 * <p>Exit codes: 0 done; 1 the Connect cluster or a Kafka cluster could not be reached or changed,
 * or a connector failed; 2 bad usage; 3 the tenants file is invalid (nothing was applied).
 */
@Command(
    name = "kdr",
    mixinStandardHelpOptions = true,
    description = "kafka-dr: disaster recovery and replication for Apache Kafka.",
    subcommands = {
      ConfigCommand.class,
      StatusCommand.class,
      EventsCommand.class,
      WorkflowCommand.Switchover.class,
      WorkflowCommand.Failover.class,
      WorkflowCommand.Failback.class,
      ReconcileCommand.class,
      DrillCommand.class,
      MigrateCommand.class,
      AutoFailoverCommand.class,
      HashPasswordCommand.class
    })
public final class KdrCli {

  /** Exit code for an invalid tenants file. */
  public static final int INVALID_CONFIG = 3;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new KdrCli())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof TenantConfigException) {
                cmd.getErr().println("kdr: " + e.getMessage());
                cmd.getErr().println("nothing was rendered or applied.");
                return INVALID_CONFIG;
              }
              if (e instanceof dev.kafkadr.client.ControllerTls.RefusedUrl) {
                cmd.getErr().println("kdr: " + e.getMessage());
                return 2;
              }
              if (e instanceof ConnectRestException) {
                cmd.getErr().println("kdr: Kafka Connect: " + e.getMessage());
                return 1;
              }
              if (e instanceof ClusterApplier.ClusterException) {
                cmd.getErr().println("kdr: Kafka: " + e.getMessage());
                return 1;
              }
              throw e;
            });
  }
}
