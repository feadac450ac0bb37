package dev.kafkadr.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * What a running sandbox consists of, written as {@code stack.json} in its work directory so that
 * other processes (the controller, the CLI, scripts) can find it. It names files that hold secrets
 * (the TSIG key) but never contains a secret.
 *
 * @param name the sandbox name, also the name of its work directory
 * @param workDir the one directory that holds every file of this sandbox
 * @param supervisorPid the JVM that started the processes and stops them
 * @param startedAt ISO-8601 instant
 * @param startupMillis how long start-up took
 * @param clusters the Kafka clusters by name ({@code primary}, {@code secondary})
 * @param connect the Connect workers
 * @param dns the DNS server, or null when BIND is not installed or not requested
 * @param processes every process, by role
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackDescription(
    String name,
    String workDir,
    long supervisorPid,
    String startedAt,
    long startupMillis,
    Map<String, Cluster> clusters,
    List<ConnectWorker> connect,
    Dns dns,
    List<Proc> processes) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** File name of the description inside the work directory. */
  public static final String FILE_NAME = "stack.json";

  /** A Kafka cluster of the sandbox. */
  public record Cluster(
      String name, String clusterId, String bootstrapServers, List<String> brokers) {}

  /** A Connect worker of the sandbox. */
  public record ConnectWorker(String role, String restUrl, String groupId, String kafkaCluster) {}

  /**
   * The DNS server: authoritative for {@code zone}, accepting RFC 2136 updates signed with the TSIG
   * key in {@code tsigKeyFile} (BIND's key-file format).
   */
  public record Dns(
      String role,
      String host,
      int port,
      String zone,
      String tsigKeyName,
      String tsigAlgorithm,
      String tsigKeyFile) {}

  /** One process: its role, PID, ports, data directory and log. */
  public record Proc(
      String role,
      long pid,
      long launcherPid,
      List<Integer> ports,
      String dataDir,
      String logFile) {}

  /** The process with this role. */
  public Proc process(String role) {
    return processes.stream()
        .filter(p -> p.role().equals(role))
        .findFirst()
        .orElseThrow(
            () ->
                new SandboxException(
                    "no process with role '"
                        + role
                        + "' in sandbox "
                        + name
                        + "; roles: "
                        + processes.stream().map(Proc::role).toList()));
  }

  /** Writes the description atomically, so a reader never sees half a file. */
  public void write(Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads a description written by {@link #write}. */
  public static StackDescription read(Path file) {
    try {
      return JSON.readValue(file.toFile(), StackDescription.class);
    } catch (IOException e) {
      throw new SandboxException(
          "cannot read sandbox description " + file + ": " + e.getMessage(), e);
    }
  }

  /** The description as JSON text. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
