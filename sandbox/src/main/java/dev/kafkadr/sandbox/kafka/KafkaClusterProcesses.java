package dev.kafkadr.sandbox.kafka;

import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.sandbox.process.Io;
import dev.kafkadr.sandbox.process.JvmCommand;
import dev.kafkadr.sandbox.process.KafkaNodeMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * One KRaft cluster of the sandbox: {@code n} combined broker+controller nodes, each a child JVM
 * bound to 127.0.0.1, forming a static controller quorum.
 */
public final class KafkaClusterProcesses {

  private final String name;
  private final Path dir;
  private final String clusterId = Uuid.randomUuid().toString();
  private final List<Integer> brokerPorts;
  private final List<Integer> controllerPorts;
  private final List<Integer> tenantPorts;
  private final List<Integer> wanPorts;
  private final List<Integer> wanProxyPorts;
  private final List<ChildProcess> nodes = new ArrayList<>();
  private final java.util.Optional<ClusterSecurity> security;

  /**
   * Prepares the configuration of every node; nothing starts until {@link #start()}.
   *
   * @param overrides broker properties that replace the sandbox defaults on every node
   * @param security the secured mode (every listener TLS), or empty for plain-text listeners
   */
  public KafkaClusterProcesses(
      String name,
      int brokers,
      Path dir,
      String marker,
      String heap,
      Path log4jConfig,
      Map<String, String> overrides,
      java.util.Optional<ClusterSecurity> security) {
    if (brokers < 1) {
      throw new IllegalArgumentException(name + ": brokers must be at least 1, was " + brokers);
    }
    this.name = name;
    this.dir = dir;
    this.security = security;
    List<Integer> ports = FreePorts.allocate(5 * brokers, false);
    this.brokerPorts = ports.subList(0, brokers);
    this.controllerPorts = ports.subList(brokers, 2 * brokers);
    this.tenantPorts = ports.subList(2 * brokers, 3 * brokers);
    this.wanPorts = ports.subList(3 * brokers, 4 * brokers);
    this.wanProxyPorts = ports.subList(4 * brokers, 5 * brokers);
    String voters =
        IntStream.range(0, brokers)
            .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
            .collect(Collectors.joining(","));
    for (int i = 0; i < brokers; i++) {
      int nodeId = i + 1;
      Path nodeDir = dir.resolve("broker-" + nodeId);
      Map<String, String> props = nodeProperties(nodeId, brokers, nodeDir, voters);
      props.putAll(overrides);
      Path config = Io.writeProperties(nodeDir.resolve("server.properties"), props);
      String role = role(nodeId);
      List<String> command =
          JvmCommand.of(
              role,
              marker,
              heap,
              log4jConfig,
              KafkaNodeMain.class.getName(),
              List.of(),
              List.of(config.toString(), clusterId));
      nodes.add(new ChildProcess(role, command, nodeDir.resolve("broker.log")));
    }
  }

  private Map<String, String> nodeProperties(int nodeId, int brokers, Path nodeDir, String voters) {
    int port = brokerPorts.get(nodeId - 1);
    int controllerPort = controllerPorts.get(nodeId - 1);
    int tenantPort = tenantPorts.get(nodeId - 1);
    int wanPort = wanPorts.get(nodeId - 1);
    String rf = Integer.toString(brokers);
    String minIsr = Integer.toString(Math.min(2, brokers));
    Map<String, String> p = new TreeMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", voters);
    // Secured: the same four listeners, all TLS; the clients' one is INTERNAL, not PLAINTEXT.
    String client = security.isPresent() ? "INTERNAL" : "PLAINTEXT";
    p.put(
        "listeners",
        client
            + "://127.0.0.1:"
            + port
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort
            + ",TENANTS://127.0.0.1:"
            + tenantPort
            + ",WAN://127.0.0.1:"
            + wanPort);
    // WAN: as PLAINTEXT, but advertised at the address of its proxy (WanLink), so that a client
    // bootstrapped there reaches every broker through the link.
    p.put(
        "advertised.listeners",
        client
            + "://127.0.0.1:"
            + port
            + ",TENANTS://127.0.0.1:"
            + tenantPort
            + ",WAN://127.0.0.1:"
            + wanProxyPorts.get(nodeId - 1));
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", client);
    p.put(
        "listener.security.protocol.map",
        security.isPresent()
            ? "INTERNAL:SSL,CONTROLLER:SSL,TENANTS:SASL_SSL,WAN:SSL"
            : "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,TENANTS:SASL_PLAINTEXT,WAN:PLAINTEXT");
    // The secured listener tenants' applications use: SASL/SCRAM users (see addScramUser) held
    // to their ACLs, so that a tenant can be fenced on a cluster like in production.
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put("listener.name.tenants.sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(
        "listener.name.tenants.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("log.dirs", nodeDir.resolve("data").toString());
    p.put("auto.create.topics.enable", "false");
    // ACLs are enforced: clients on the PLAINTEXT listener (replication, the controller, tests)
    // connect as ANONYMOUS, a super user; SCRAM users on the TENANTS listener get only their ACLs.
    // Secured mode replaces super.users with its brokers' and the sandbox's own principals.
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:ANONYMOUS");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", rf);
    p.put("offsets.topic.replication.factor", rf);
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", rf);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("log.retention.check.interval.ms", "5000");
    security.ifPresent(s -> p.putAll(s.brokerProperties()));
    return p;
  }

  /** Starts every node; {@link #awaitReady} waits until they form the cluster. */
  public void start() {
    nodes.forEach(ChildProcess::start);
  }

  /**
   * Waits until every node is registered and the cluster answers; fails fast with the node's last
   * log lines if a node exits.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(adminConfig())) {
      while (true) {
        for (ChildProcess node : nodes) {
          if (!node.isAlive()) {
            String errors = node.errors(5);
            throw new SandboxException(
                node.role()
                    + " exited during start-up; "
                    + (errors.isEmpty() ? "" : "its first errors:\n" + errors + "\n")
                    + "last lines of "
                    + node.logFile()
                    + ":\n"
                    + node.tail(30));
          }
        }
        try {
          int registered =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                  .nodes()
                  .get(3, TimeUnit.SECONDS)
                  .size();
          if (registered == nodes.size()) {
            return;
          }
        } catch (Exception notYet) {
          // Not up yet; try again until the deadline.
        }
        if (System.nanoTime() > deadline) {
          throw new SandboxException(
              name
                  + " cluster not ready after "
                  + timeout
                  + "; last lines of "
                  + nodes.get(0).logFile()
                  + ":\n"
                  + nodes.get(0).tail(30));
        }
        Io.sleep(200);
      }
    }
  }

  /**
   * Creates topics and returns once every partition's leader serves requests for it.
   *
   * <p>{@code createTopics} returns when the controller has recorded the topic, which can be before
   * the leader has loaded the partition. An idempotent producer that starts at once can then see
   * its first batch refused as NOT_LEADER while a later batch is accepted, and fail with
   * OutOfOrderSequence (seen on this sandbox); waiting until each leader answers ListOffsets avoids
   * that race.
   */
  public void createTopics(List<NewTopic> topics, Duration timeout) {
    try (Admin admin = Admin.create(adminConfig())) {
      TopicCreation.createAndAwaitLeaders(admin, name, topics, timeout);
    }
  }

  /** {@link #createTopics(List, Duration)} with a 60 s timeout. */
  public void createTopics(NewTopic... topics) {
    createTopics(List.of(topics), Duration.ofSeconds(60));
  }

  /**
   * The sum of the high watermarks of {@code topic}'s partitions: every offset written, records,
   * transaction markers and aborted records alike; 0 while the topic does not exist.
   *
   * @throws SandboxException when the cluster does not answer within 10 s
   */
  public long endOffsetSum(String topic) {
    try (Admin admin = Admin.create(adminConfig())) {
      var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      description
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(i -> i.offset())
          .sum();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return 0;
      }
      throw new SandboxException("cannot read the end offsets of " + topic + " on " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted reading the end offsets of " + topic, e);
    }
  }

  /** Client properties for an {@code Admin}, producer or consumer of this cluster. */
  public Map<String, Object> adminConfig() {
    Map<String, Object> config = new java.util.HashMap<>();
    security.ifPresent(s -> config.putAll(s.clientSettings(ClusterSecurity.ADMIN)));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    return Map.copyOf(config);
  }

  /**
   * The client settings that log {@code principal} (one of {@link ClusterSecurity}'s) in to this
   * cluster over mutual TLS, with its bootstrap servers; in plain-text mode only the bootstrap
   * servers (every client is then ANONYMOUS, a super user).
   */
  public Map<String, String> clientConfig(String principal) {
    Map<String, String> config = new TreeMap<>();
    security.ifPresent(s -> config.putAll(s.clientSettings(principal)));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return config;
  }

  /**
   * In secured mode, grants the replication and controller principals their rights here ({@link
   * ClusterSecurity#grant}); nothing in plain-text mode, where every client is a super user.
   *
   * @param replicationTarget whether replication writes to this cluster (not only reads it)
   */
  public void grantPrincipals(boolean replicationTarget) {
    if (security.isPresent()) {
      try (Admin admin = Admin.create(adminConfig())) {
        ClusterSecurity.grant(admin, name, replicationTarget);
      }
    }
  }

  /** The secured mode of this cluster, empty when its listeners are plain text. */
  public java.util.Optional<ClusterSecurity> security() {
    return security;
  }

  /**
   * Every port a node of this cluster listens on (clients', KRaft controllers', tenants' and WAN
   * listeners) and those its WAN link's proxies take, which carry the same bytes; in secured mode
   * every one of them speaks TLS.
   */
  public java.util.Set<Integer> listenerPorts() {
    java.util.Set<Integer> ports = new java.util.TreeSet<>();
    for (List<Integer> listener :
        List.of(brokerPorts, controllerPorts, tenantPorts, wanPorts, wanProxyPorts)) {
      ports.addAll(listener);
    }
    return ports;
  }

  /** {@code 127.0.0.1:port,...} of every broker. */
  public String bootstrapServers() {
    return brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /**
   * Proxy port to broker {@code WAN} listener port, in broker order: the routes of this cluster's
   * {@link dev.kafkadr.sandbox.net.WanLink}, whose proxies listen at the ports the brokers
   * advertise on that listener.
   */
  public Map<Integer, Integer> wanRoutes() {
    Map<Integer, Integer> routes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < wanPorts.size(); i++) {
      routes.put(wanProxyPorts.get(i), wanPorts.get(i));
    }
    return routes;
  }

  /**
   * The bootstrap servers of the secured listener tenants' applications use (SASL_PLAINTEXT with
   * SCRAM-SHA-512); its users exist only once {@link #addScramUser} created them.
   */
  public String tenantBootstrapServers() {
    return tenantPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /**
   * Client settings for {@code user} on the secured listener: bootstrap, SASL_PLAINTEXT (SASL_SSL
   * and the CA's trust store in secured mode), SCRAM-SHA-512 and its JAAS line.
   */
  public Map<String, Object> tenantClientConfig(String user, String password) {
    Map<String, Object> config = new java.util.HashMap<>();
    security.ifPresent(s -> config.putAll(s.trustSettings()));
    config.putAll(tenantLogin(user, password));
    return Map.copyOf(config);
  }

  private Map<String, Object> tenantLogin(String user, String password) {
    return Map.of(
        "bootstrap.servers",
        tenantBootstrapServers(),
        "security.protocol",
        security.isPresent() ? "SASL_SSL" : "SASL_PLAINTEXT",
        "sasl.mechanism",
        "SCRAM-SHA-512",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
  }

  /** Creates (or replaces) SCRAM-SHA-512 user {@code user} for the secured listener. */
  public void addScramUser(String user, String password) {
    try (Admin admin = Admin.create(adminConfig())) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new SandboxException(name + ": SCRAM user " + user + " not created: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(name + ": interrupted while creating SCRAM user " + user);
    }
  }

  /** The cluster name, {@code primary} or {@code secondary}. */
  public String name() {
    return name;
  }

  /** The KRaft cluster id this cluster was formatted with. */
  public String clusterId() {
    return clusterId;
  }

  /** The role of broker {@code nodeId}, e.g. {@code primary-broker-2}. */
  public String role(int nodeId) {
    return name + "-broker-" + nodeId;
  }

  /** The node processes, in node id order. */
  public List<ChildProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** This cluster as it appears in the stack description. */
  public StackDescription.Cluster describe() {
    return new StackDescription.Cluster(
        name, clusterId, bootstrapServers(), nodes.stream().map(ChildProcess::role).toList());
  }

  /** The processes of this cluster as they appear in the stack description. */
  public List<StackDescription.Proc> describeProcesses() {
    List<StackDescription.Proc> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      ChildProcess node = nodes.get(i);
      out.add(
          new StackDescription.Proc(
              node.role(),
              node.pid(),
              node.launcherPid(),
              List.of(brokerPorts.get(i), controllerPorts.get(i)),
              dir.resolve("broker-" + (i + 1)).resolve("data").toString(),
              node.logFile().toString()));
    }
    return out;
  }
}
