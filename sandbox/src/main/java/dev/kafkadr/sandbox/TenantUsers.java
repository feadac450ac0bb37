package dev.kafkadr.sandbox;

import dev.kafkadr.config.TenantAccess;
import dev.kafkadr.config.TenantAcls;
import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.sandbox.kafka.KafkaClusterProcesses;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * Makes a tenants file's application principals real on the sandbox, as a customer's own setup
 * would: a SCRAM user for every {@code access} principal ({@code User:name}) on both clusters, and
 * the ALLOW ACLs {@code kdr config apply} grants on targets, on both clusters (the primary is the
 * tenant's own cluster before kafka-dr ever touches it).
 */
public final class TenantUsers {

  private TenantUsers() {}

  /** Creates the users with {@code password} and their ACLs on both clusters. */
  public static void create(Sandbox sandbox, TenantsFile file, String password) {
    Set<String> users = new LinkedHashSet<>();
    file.access().values().stream()
        .flatMap(List::stream)
        .map(TenantAccess::principal)
        .filter(p -> p.startsWith("User:"))
        .forEach(p -> users.add(p.substring("User:".length())));
    Set<AclBinding> allow = new LinkedHashSet<>();
    TenantAcls.desired(file).values().forEach(allow::addAll);
    for (KafkaClusterProcesses cluster : List.of(sandbox.primary(), sandbox.secondary())) {
      users.forEach(u -> cluster.addScramUser(u, password));
      if (allow.isEmpty()) {
        continue;
      }
      try (Admin admin = Admin.create(cluster.adminConfig())) {
        admin.createAcls(List.copyOf(allow)).all().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new SandboxException(
            cluster.name() + ": tenant ACLs not created: " + e.getMessage(), e);
      }
    }
  }
}
