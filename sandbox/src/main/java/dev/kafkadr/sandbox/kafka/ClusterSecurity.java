package dev.kafkadr.sandbox.kafka;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.tls.TlsAuthority;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The secured mode of the sandbox's clusters: every listener TLS (certificates from the sandbox's
 * {@link TlsAuthority}), none in plain text. Brokers, the controller quorum, Connect, kafka-dr's
 * controller and the harness connect over mutual TLS, each with its own certificate, and the broker
 * takes the principal from the certificate's CN ({@code ssl.principal.mapping.rules}); tenants'
 * applications use SASL/SCRAM over TLS. Store passwords appear in no configuration file: each names
 * them as a {@code ${file:...}} reference to the authority's password file (mode 600).
 *
 * <p>The rights of each principal, granted with {@link #grant}:
 *
 * <ul>
 *   <li>{@value #BROKER} and {@value #ADMIN} (the sandbox itself and its tests, as an operator):
 *       super users;
 *   <li>{@value #REPLICATION}, on every cluster, the rights of a replication source only: read and
 *       describe topics and their configs, describe groups and the cluster (MirrorMaker 2 writes
 *       its offset syncs to the target, {@code offset-syncs.topic.location=target}); on a cluster
 *       that replication writes to, also create, write and alter topics and their configs, join
 *       groups and commit their offsets, and write transactional ids (Connect's exactly-once source
 *       tasks);
 *   <li>{@value #CONTROLLER}, on every cluster: what fences and offset translation need (ALTER on
 *       the cluster to create DENY ACLs, which lets it grant itself anything, so it is effectively
 *       an administrator; WRITE on transactional ids to fence producers; READ on groups to write
 *       their offsets), and reading, describing, writing, creating and deleting topics for lag,
 *       verification, reconciliation and drill probes.
 * </ul>
 */
public final class ClusterSecurity {

  /** The principal of every broker and KRaft controller. */
  public static final String BROKER = "kafka-broker";

  /** The sandbox's own principal (harness, tests, operators): a super user. */
  public static final String ADMIN = "kdr-sandbox";

  /** The principal replication (the Connect workers and MirrorMaker 2's clients) logs in as. */
  public static final String REPLICATION = "kdr-replication";

  /** The principal kafka-dr's controller logs in as. */
  public static final String CONTROLLER = "kdr-controller";

  private final TlsAuthority tls;

  /** The secured mode with certificates from {@code tls}. */
  public ClusterSecurity(TlsAuthority tls) {
    this.tls = tls;
  }

  /** The authority whose certificates every listener and client uses. */
  public TlsAuthority tls() {
    return tls;
  }

  /**
   * Broker settings common to every listener: this broker's key store and the CA's trust store,
   * client certificates required (TENANTS, SASL_SSL, turns that off), CN as principal, and the
   * FileConfigProvider that resolves the password references.
   */
  Map<String, String> brokerProperties() {
    Map<String, String> p = new LinkedHashMap<>(storeSettings(BROKER));
    p.put("ssl.client.auth", "required");
    p.put("listener.name.tenants.ssl.client.auth", "none");
    p.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT");
    p.put("super.users", "User:" + BROKER + ";User:" + ADMIN);
    p.put("config.providers", "file");
    p.put(
        "config.providers.file.class",
        ClusterClients.CONFIG_PROVIDERS.get("config.providers.file.class"));
    return p;
  }

  /**
   * Client settings that log {@code principal} in over mutual TLS: {@code security.protocol=SSL},
   * its key store, the CA's trust store, passwords as {@code ${file:...}} references, and the
   * config providers that resolve them.
   */
  public Map<String, String> clientSettings(String principal) {
    Map<String, String> p = new LinkedHashMap<>(ClusterClients.CONFIG_PROVIDERS);
    p.put("security.protocol", "SSL");
    p.putAll(storeSettings(principal));
    return p;
  }

  /** Settings that make a SASL client (a tenant's application) trust the brokers' certificates. */
  public Map<String, String> trustSettings() {
    Map<String, String> p = new LinkedHashMap<>(ClusterClients.CONFIG_PROVIDERS);
    p.put("ssl.truststore.location", tls.trustStore().toString());
    p.put("ssl.truststore.password", tls.passwordReference());
    return p;
  }

  private Map<String, String> storeSettings(String principal) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("ssl.keystore.location", tls.issue(principal).keyStore().toString());
    p.put("ssl.keystore.password", tls.passwordReference());
    p.put("ssl.key.password", tls.passwordReference());
    p.put("ssl.truststore.location", tls.trustStore().toString());
    p.put("ssl.truststore.password", tls.passwordReference());
    return p;
  }

  /**
   * Grants the replication and controller principals their rights on the cluster {@code admin}
   * reaches (see the class comment).
   *
   * @param replicationTarget whether replication writes to this cluster
   * @throws SandboxException when the ACLs are not created within 30 s
   */
  public static void grant(Admin admin, String cluster, boolean replicationTarget) {
    List<AclBinding> acls = new ArrayList<>();
    allow(acls, REPLICATION, ResourceType.TOPIC, AclOperation.READ, AclOperation.DESCRIBE);
    allow(acls, REPLICATION, ResourceType.TOPIC, AclOperation.DESCRIBE_CONFIGS);
    allow(acls, REPLICATION, ResourceType.GROUP, AclOperation.DESCRIBE);
    allow(acls, REPLICATION, ResourceType.CLUSTER, AclOperation.DESCRIBE);
    allow(acls, REPLICATION, ResourceType.CLUSTER, AclOperation.DESCRIBE_CONFIGS);
    if (replicationTarget) {
      allow(acls, REPLICATION, ResourceType.TOPIC, AclOperation.CREATE, AclOperation.WRITE);
      // ALTER: MirrorMaker 2 adds partitions to a copy when its source topic grows.
      allow(acls, REPLICATION, ResourceType.TOPIC, AclOperation.ALTER_CONFIGS, AclOperation.ALTER);
      allow(acls, REPLICATION, ResourceType.GROUP, AclOperation.READ);
      allow(
          acls,
          REPLICATION,
          ResourceType.TRANSACTIONAL_ID,
          AclOperation.WRITE,
          AclOperation.DESCRIBE);
    }
    allow(
        acls,
        CONTROLLER,
        ResourceType.CLUSTER,
        AclOperation.ALTER,
        AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS);
    allow(
        acls,
        CONTROLLER,
        ResourceType.TOPIC,
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.CREATE,
        AclOperation.DELETE,
        AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS);
    allow(
        acls,
        CONTROLLER,
        ResourceType.GROUP,
        AclOperation.READ,
        AclOperation.DESCRIBE,
        AclOperation.DELETE);
    allow(
        acls, CONTROLLER, ResourceType.TRANSACTIONAL_ID, AclOperation.WRITE, AclOperation.DESCRIBE);
    try {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new SandboxException(
          cluster + ": cannot grant the replication and controller principals: " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException(cluster + ": interrupted granting principals", e);
    }
  }

  private static void allow(
      List<AclBinding> acls, String principal, ResourceType type, AclOperation... operations) {
    String name =
        type == ResourceType.CLUSTER ? "kafka-cluster" : ResourcePattern.WILDCARD_RESOURCE;
    for (AclOperation operation : operations) {
      acls.add(
          new AclBinding(
              new ResourcePattern(type, name, PatternType.LITERAL),
              new AccessControlEntry(
                  "User:" + principal, "*", operation, AclPermissionType.ALLOW)));
    }
  }
}
