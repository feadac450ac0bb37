package dev.kafkadr.controller.store;

import io.etcd.jetcd.Client;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr store migrate --from local --to etcd}: moves a stopped controller replica's state (its
 * journal directory) into etcd, for replicas that will run on the etcd store. The directory is
 * locked as a controller would lock it (no replica may run on it meanwhile), and the command takes
 * the leader key for itself (no replica may lead on etcd meanwhile), so nothing changes under the
 * copy. Exit codes: 0 copied and checked; 1 the stores could not be read or written, or the copy
 * reads back differently; 2 bad usage; 5 a controller runs on either store, or the target already
 * holds some of the state (nothing written).
 */
@Command(
    name = "kdr store",
    mixinStandardHelpOptions = true,
    description = "The controller's state store.",
    subcommands = {StoreCommand.Migrate.class})
public final class StoreCommand {

  /** Runs {@code kdr store ...} and exits with its code. */
  public static void main(String[] args) {
    System.exit(
        new CommandLine(new StoreCommand())
            .setExecutionExceptionHandler(
                (e, line, parsed) -> {
                  if (e instanceof IllegalArgumentException) {
                    // A bad option (certificate without key, unreadable file): its message, no
                    // trace.
                    line.getErr().println("kdr store: " + e.getMessage());
                    return 2;
                  }
                  throw e;
                })
            .execute(args));
  }

  /** The migration. */
  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description =
          "Copy a stopped replica's local state (journals, locks, registry, audit, drill claims)"
              + " into etcd, then read it back and compare.")
  static final class Migrate implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, description = "The source store: local.")
    String from;

    @Option(names = "--to", required = true, description = "The target store: etcd.")
    String to;

    @Option(
        names = "--journal-dir",
        required = true,
        description = "The stopped replica's kdr.workflow.journal-dir.")
    Path journalDir;

    @Option(
        names = "--endpoints",
        required = true,
        split = ",",
        description = "The etcd members' client URLs, comma-separated.")
    List<String> endpoints;

    @Option(
        names = "--cacert",
        description = "CA certificates (PEM) of https:// members (etcdctl's name for it).")
    Path cacert;

    @Option(names = "--cert", description = "Client certificate chain (PEM), with --key.")
    Path cert;

    @Option(names = "--key", description = "Private key (PEM) of --cert.")
    Path key;

    @Option(
        names = "--prefix",
        defaultValue = "/kafka-dr/",
        description = "kdr.store.etcd.prefix of the replicas. Default: ${DEFAULT-VALUE}.")
    String prefix;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!"local".equals(from) || !"etcd".equals(to)) {
        err.println("kdr store migrate: only --from local --to etcd is supported");
        return 2;
      }
      JournalDirLock lock = new JournalDirLock(journalDir, "kdr store migrate");
      try {
        lock.acquire();
      } catch (IllegalStateException e) {
        err.println("kdr store migrate: " + e.getMessage());
        return 5;
      }
      try (Client client =
              EtcdClients.create(
                  endpoints,
                  java.util.Optional.ofNullable(cacert),
                  java.util.Optional.ofNullable(cert),
                  java.util.Optional.ofNullable(key));
          LeaderLease lease =
              new LeaderLease(
                  client,
                  prefix + "leader",
                  "kdr-store-migrate",
                  null,
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(5),
                  System::nanoTime)) {
        if (!lease.campaign()) {
          err.println(
              "kdr store migrate: a controller replica leads on etcd ("
                  + lease.holder().map(LeaderLease.Holder::replicaId).orElse("unknown")
                  + "): stop every replica first");
          return 5;
        }
        StoreMigration.Report r =
            StoreMigration.copy(
                new LocalStateStore(journalDir),
                new EtcdStateStore(
                    client, prefix, lease::token, prefix + "leader", Duration.ofSeconds(5)));
        out.printf(
            Locale.ROOT,
            "copied %d documents and %d logs (%d entries, %,d bytes) from %s to etcd %s under %s;"
                + " read back and compared: identical%n",
            r.documents(),
            r.logs(),
            r.entries(),
            r.bytes(),
            journalDir,
            String.join(",", endpoints),
            prefix);
        return 0;
      } catch (IllegalStateException e) {
        err.println("kdr store migrate: " + e.getMessage());
        return e.getMessage().contains("already holds") ? 5 : 1;
      } catch (StoreException | StateStore.StaleWrite e) {
        err.println("kdr store migrate: " + e.getMessage());
        return 1;
      } finally {
        lock.release();
      }
    }
  }
}
