package dev.kafkadr.sandbox.connect;

import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectRestCredentials;
import dev.kafkadr.config.connect.ConnectRestException;
import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.kafka.KafkaClusterProcesses;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.ConnectWorkerMain;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.sandbox.process.Io;
import dev.kafkadr.sandbox.process.JvmCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One group of Kafka Connect distributed workers of the sandbox, storing its state in one Kafka
 * cluster (the target side, as MM2 deployments usually do), REST on 127.0.0.1.
 */
public final class ConnectWorkerProcesses {

  /** The MM2 connector every worker must have found before it counts as ready. */
  public static final String MIRROR_SOURCE =
      "org.apache.kafka.connect.mirror.MirrorSourceConnector";

  /** kafka-dr's client override policy (connect-plugins). */
  public static final String KAFKA_DR_POLICY =
      "dev.kafkadr.connect.KafkaDrConnectorClientConfigOverridePolicy";

  /**
   * A group of workers.
   *
   * @param groupId the workers' {@code group.id}, also the prefix of their internal topics
   * @param rolePrefix the prefix of each worker's role and directory, e.g. {@code connect-}
   * @param count how many workers
   * @param overrides worker properties that replace the sandbox defaults
   */
  public record Group(String groupId, String rolePrefix, int count, Map<String, String> overrides) {

    /**
     * The group's offsets topic on its Kafka cluster (the secondary): where its workers commit
     * source connectors' offsets, keyed by connector name and source partition, as JSON.
     */
    public String offsetsTopic() {
      return groupId + "-offsets";
    }

    /** The default group: {@code kdr-sandbox-connect}, roles {@code connect-1}, ... */
    public static Group standard(int count, Map<String, String> overrides) {
      return new Group("kdr-sandbox-connect", "connect-", count, overrides);
    }

    /**
     * The exactly-once group: {@code kdr-sandbox-connect-eos}, roles {@code connect-eos-1}, ...,
     * every worker with {@code exactly.once.source.support=enabled} (a new cluster may start
     * enabled; only a running one goes through {@code preparing}).
     */
    public static Group exactlyOnce(int count, Map<String, String> overrides) {
      Map<String, String> props = new TreeMap<>(overrides);
      props.put("exactly.once.source.support", "enabled");
      return new Group("kdr-sandbox-connect-eos", "connect-eos-", count, props);
    }
  }

  private final String groupId;
  private final String offsetsTopic;
  private final String rolePrefix;
  private final String kafkaCluster;
  private final List<Integer> restPorts;
  private final List<ChildProcess> workers = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();
  private final Optional<ConnectRestCredentials> restUser;
  private final Optional<Path> restTrust;

  /**
   * Prepares the workers of {@code group}; nothing starts until {@link #start()}.
   *
   * @param pluginPath directories on the workers' {@code plugin.path}
   * @param restUser when present, the only user the workers' REST API takes (Connect's {@code
   *     BasicAuthSecurityRestExtension} with a JAAS {@code PropertyFileLoginModule} whose password
   *     file, mode 600, is in {@code dir})
   */
  public ConnectWorkerProcesses(
      Group group,
      Path dir,
      String marker,
      String heap,
      Path log4jConfig,
      KafkaClusterProcesses home,
      int replicationFactor,
      List<Path> pluginPath,
      Optional<ConnectRestCredentials> restUser) {
    this.restUser = restUser;
    this.restTrust = home.security().map(s -> s.tls().caCertificate());
    List<String> jvmFlags = new ArrayList<>(HARDENED);
    restUser.ifPresent(
        u -> jvmFlags.add("-Djava.security.auth.login.config=" + RestLock.write(dir, group, u)));
    // Secured: a connector may log in as replication only, with its key store (mutual TLS) or
    // as its SCRAM user (ClientKeys); the later -D of a name wins over HARDENED's.
    home.security()
        .ifPresent(
            s -> {
              jvmFlags.add(
                  "-Dkdr.replication.keystores="
                      + s.tls()
                          .issue(dev.kafkadr.sandbox.kafka.ClusterSecurity.REPLICATION)
                          .keyStore());
              jvmFlags.add(
                  "-Dkdr.replication.principals="
                      + dev.kafkadr.sandbox.kafka.ClusterSecurity.REPLICATION);
            });
    this.groupId = group.groupId();
    this.offsetsTopic = group.offsetsTopic();
    this.rolePrefix = group.rolePrefix();
    this.kafkaCluster = home.name();
    this.restPorts = FreePorts.allocate(group.count(), false);
    for (int i = 1; i <= group.count(); i++) {
      Path workerDir = dir.resolve(rolePrefix + i);
      Map<String, String> props =
          workerProperties(
              restPorts.get(i - 1),
              home.bootstrapServers(),
              replicationFactor,
              pluginPath,
              workerDir);
      if (restUser.isPresent()) {
        props.put("rest.extension.classes", RestLock.EXTENSION);
      }
      if (home.security().isPresent()) {
        props.putAll(
            securedClients(
                home.clientConfig(dev.kafkadr.sandbox.kafka.ClusterSecurity.REPLICATION)));
        props.putAll(httpsRest(home.security().get(), restPorts.get(i - 1)));
      }
      props.putAll(group.overrides());
      Path config = Io.writeProperties(workerDir.resolve("worker.properties"), props);
      String role = rolePrefix + i;
      List<String> command =
          JvmCommand.of(
              role,
              marker,
              heap,
              log4jConfig,
              ConnectWorkerMain.class.getName(),
              jvmFlags,
              List.of(config.toString()));
      workers.add(new ChildProcess(role, command, workerDir.resolve("connect.log")));
      dirs.add(workerDir);
    }
  }

  /**
   * A worker hardened as a shared one should be: no JAAS login module that reaches out (JNDI,
   * LDAP), only the ConfigProviders the platform uses, and kafka-dr's tenant connectors refusing
   * any SCRAM login (the sandbox replicates over PLAINTEXT; a secured worker names its replication
   * principals here).
   */
  static final List<String> HARDENED =
      List.of(
          "-Dorg.apache.kafka.disallowed.login.modules="
              + "com.sun.security.auth.module.JndiLoginModule,"
              + "com.sun.security.auth.module.LdapLoginModule",
          "-Dorg.apache.kafka.automatic.config.providers="
              + "org.apache.kafka.common.config.provider.FileConfigProvider,"
              + "org.apache.kafka.common.config.provider.EnvVarConfigProvider,"
              + "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
          "-Dkdr.replication.principals=");

  private Map<String, String> workerProperties(
      int port, String bootstrap, int rf, List<Path> pluginPath, Path workerDir) {
    String replication = Integer.toString(rf);
    Map<String, String> p = new TreeMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", groupId);
    p.put("listeners", "http://127.0.0.1:" + port);
    p.put("rest.advertised.host.name", "127.0.0.1");
    p.put("rest.advertised.port", Integer.toString(port));
    p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    p.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    p.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    p.put("config.storage.topic", groupId + "-configs");
    p.put("offset.storage.topic", offsetsTopic);
    p.put("status.storage.topic", groupId + "-status");
    p.put("config.storage.replication.factor", replication);
    p.put("offset.storage.replication.factor", replication);
    p.put("status.storage.replication.factor", replication);
    p.put("offset.storage.partitions", "5");
    p.put("status.storage.partitions", "3");
    p.put("offset.flush.interval.ms", "1000");
    // Plugins declare themselves in META-INF/services; scanning every jar would cost seconds.
    p.put("plugin.discovery", "service_load");
    p.put("plugin.path", pluginPath.stream().map(Path::toString).collect(Collectors.joining(",")));
    // A lost worker's tasks move after 10 s instead of Connect's default 5 minutes.
    p.put("scheduled.rebalance.max.delay.ms", "10000");
    p.put("task.shutdown.graceful.timeout.ms", "3000");
    p.put("connector.client.config.override.policy", overridePolicy(pluginPath));
    // Secrets in connector configs stay references, resolved by the worker, as in production.
    p.putAll(dev.kafkadr.config.ClusterClients.CONFIG_PROVIDERS);
    return p;
  }

  /**
   * The worker's own clients in secured mode: its group membership and internal topics, and the
   * producer, consumer and admin it gives its connectors, each logged in as the replication
   * principal over mutual TLS.
   */
  static Map<String, String> securedClients(Map<String, String> replication) {
    Map<String, String> p = new TreeMap<>();
    replication.forEach(
        (key, value) -> {
          if (!"bootstrap.servers".equals(key)) {
            p.put(key, value);
            if (key.startsWith("ssl.") || "security.protocol".equals(key)) {
              for (String prefix : List.of("producer.", "consumer.", "admin.")) {
                p.put(prefix + key, value);
              }
            }
          }
        });
    return p;
  }

  /**
   * The REST API over HTTPS only, with a certificate of the sandbox's CA for 127.0.0.1, which the
   * workers also trust when they forward requests to each other.
   */
  static Map<String, String> httpsRest(
      dev.kafkadr.sandbox.kafka.ClusterSecurity security, int port) {
    Map<String, String> p = new TreeMap<>();
    p.put("listeners", "https://127.0.0.1:" + port);
    p.put("rest.advertised.listener", "https");
    var tls = security.tls();
    p.put(
        "listeners.https.ssl.keystore.location", tls.issue("kafka-connect").keyStore().toString());
    p.put("listeners.https.ssl.keystore.password", tls.passwordReference());
    p.put("listeners.https.ssl.key.password", tls.passwordReference());
    p.put("listeners.https.ssl.truststore.location", tls.trustStore().toString());
    p.put("listeners.https.ssl.truststore.password", tls.passwordReference());
    return p;
  }

  /**
   * The client override policy of workers with {@code pluginPath}: kafka-dr's, which allows only
   * the overrides it renders, where kafka-dr's plugins are on the path (as in production);
   * Connect's {@code All} for workers that run stock MirrorMaker 2 alone.
   */
  static String overridePolicy(List<Path> pluginPath) {
    for (Path dir : pluginPath) {
      try (var files = java.nio.file.Files.walk(dir, 2)) {
        if (files.anyMatch(
            f -> {
              String name = f.getFileName().toString();
              return name.startsWith("kafka-dr-connect-plugins-") && name.endsWith(".jar");
            })) {
          return KAFKA_DR_POLICY;
        }
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        // A directory that cannot be read holds no plugin Connect could load either.
      }
    }
    return "All";
  }

  /** Starts every worker. */
  public void start() {
    workers.forEach(ChildProcess::start);
  }

  /** Waits until every worker's REST API answers and lists MirrorMaker 2's source connector. */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < workers.size(); i++) {
      ChildProcess worker = workers.get(i);
      ConnectRestClient client =
          new ConnectRestClient(restUrl(i + 1), restUser, restTrust, () -> {});
      while (true) {
        if (!worker.isAlive()) {
          throw new SandboxException(
              worker.role()
                  + " exited during start-up; last lines of "
                  + worker.logFile()
                  + ":\n"
                  + worker.tail(30));
        }
        try {
          client.connectors();
          if (client.connectorPlugins().contains(MIRROR_SOURCE)) {
            break;
          }
        } catch (ConnectRestException notYet) {
          // REST not listening, or the worker has not joined its group yet.
        }
        if (System.nanoTime() > deadline) {
          throw new SandboxException(
              worker.role()
                  + " not ready after "
                  + timeout
                  + "; last lines of "
                  + worker.logFile()
                  + ":\n"
                  + worker.tail(30));
        }
        Io.sleep(250);
      }
    }
  }

  /** The REST URL of worker {@code n} (1-based): {@code https} on a secured sandbox. */
  public String restUrl(int n) {
    return (restTrust.isPresent() ? "https" : "http") + "://127.0.0.1:" + restPorts.get(n - 1);
  }

  /** The worker processes. */
  public List<ChildProcess> workers() {
    return List.copyOf(workers);
  }

  /** The workers as they appear in the stack description. */
  public List<StackDescription.ConnectWorker> describe() {
    List<StackDescription.ConnectWorker> out = new ArrayList<>();
    for (int i = 1; i <= workers.size(); i++) {
      out.add(
          new StackDescription.ConnectWorker(rolePrefix + i, restUrl(i), groupId, kafkaCluster));
    }
    return out;
  }

  /** The worker processes as they appear in the stack description. */
  public List<StackDescription.Proc> describeProcesses() {
    List<StackDescription.Proc> out = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      ChildProcess w = workers.get(i);
      out.add(
          new StackDescription.Proc(
              w.role(),
              w.pid(),
              w.launcherPid(),
              List.of(restPorts.get(i)),
              dirs.get(i).toString(),
              w.logFile().toString()));
    }
    return out;
  }
}
