package dev.kafkadr.sandbox;

import dev.kafkadr.config.connect.ConnectRestCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a sandbox is built. Create with {@link Sandbox#builder()}.
 *
 * @param name the sandbox name; its work directory is {@code root/name}
 * @param root the directory that holds every sandbox's work directory
 * @param brokersPerCluster brokers in each of {@code primary} and {@code secondary} (1 or 3
 *     typical)
 * @param connectWorkers Connect workers in the default Connect group (0 for none)
 * @param exactlyOnceWorkers Connect workers in a second group whose workers run {@code
 *     exactly.once.source.support=enabled} (0, the default, for none)
 * @param dns whether to start BIND when it is installed
 * @param requireDns whether a missing {@code named} is an error instead of a one-line notice
 * @param brokerHeap maximum heap of each broker JVM, e.g. {@code 512m}
 * @param connectHeap maximum heap of each Connect worker JVM
 * @param brokerOverrides broker properties replacing the sandbox defaults
 * @param connectOverrides worker properties replacing the sandbox defaults
 * @param pluginPath extra directories for the workers' {@code plugin.path}
 * @param startTimeout how long start-up may take before it fails
 * @param keepWorkDir keep the work directory on close (for looking at logs)
 * @param connectRestUser when present, the only user the workers' REST API takes (Connect's {@code
 *     BasicAuthSecurityRestExtension}); empty for an open REST API
 * @param secured every broker listener TLS, none in plain text, and each component its own
 *     principal ({@link dev.kafkadr.sandbox.kafka.ClusterSecurity})
 */
public record SandboxOptions(
    String name,
    Path root,
    int brokersPerCluster,
    int connectWorkers,
    int exactlyOnceWorkers,
    boolean dns,
    boolean requireDns,
    String brokerHeap,
    String connectHeap,
    Map<String, String> brokerOverrides,
    Map<String, String> connectOverrides,
    List<Path> pluginPath,
    Duration startTimeout,
    boolean keepWorkDir,
    Optional<ConnectRestCredentials> connectRestUser,
    boolean secured) {

  /** The default parent of sandbox work directories: {@code $KDR_SANDBOX_ROOT} or a temp dir. */
  public static Path defaultRoot() {
    String env = System.getenv("KDR_SANDBOX_ROOT");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("java.io.tmpdir"), "kafka-dr-sandbox");
  }

  /** Every problem with these options, each naming the option; empty when they are valid. */
  public List<String> problems() {
    List<String> problems = new java.util.ArrayList<>();
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      problems.add("name: \"" + name + "\" must be 1-64 letters, digits, '.', '_' or '-'");
    }
    if (brokersPerCluster < 1 || brokersPerCluster > 5) {
      problems.add("brokersPerCluster: " + brokersPerCluster + " must be between 1 and 5");
    }
    if (connectWorkers < 0 || connectWorkers > 4) {
      problems.add("connectWorkers: " + connectWorkers + " must be between 0 and 4");
    }
    if (exactlyOnceWorkers < 0 || exactlyOnceWorkers > 4) {
      problems.add("exactlyOnceWorkers: " + exactlyOnceWorkers + " must be between 0 and 4");
    }
    for (String[] heap :
        new String[][] {{"brokerHeap", brokerHeap}, {"connectHeap", connectHeap}}) {
      if (heap[1] == null || !heap[1].matches("\\d+[mMgG]")) {
        problems.add(heap[0] + ": \"" + heap[1] + "\" must look like 512m or 1g");
      }
    }
    if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
      problems.add("startTimeout: must be positive");
    }
    return problems;
  }
}
