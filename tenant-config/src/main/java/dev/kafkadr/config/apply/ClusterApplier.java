package dev.kafkadr.config.apply;

import dev.kafkadr.config.ClusterClients;
import dev.kafkadr.config.Quotas;
import dev.kafkadr.config.TenantsFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Reads and changes what a tenants file manages on its Kafka clusters: kafka-dr's client quotas and
 * the tenants' ACLs, with batched admin requests per cluster.
 */
public final class ClusterApplier {

  private final TenantsFile file;

  /** An applier for the clusters declared in {@code file}. */
  public ClusterApplier(TenantsFile file) {
    this.file = file;
  }

  /** kafka-dr's client quotas now, per cluster alias, per client id, per quota key. */
  public Map<String, Map<String, Map<String, Double>>> current() {
    Map<String, Map<String, Map<String, Double>>> out = new TreeMap<>();
    file.clusters()
        .forEach(
            cluster ->
                out.put(
                    cluster.alias(),
                    call(
                        cluster.alias(),
                        admin -> {
                          Map<String, Map<String, Double>> quotas = new TreeMap<>();
                          ClientQuotaFilter all =
                              ClientQuotaFilter.contains(
                                  List.of(
                                      ClientQuotaFilterComponent.ofEntityType(
                                          ClientQuotaEntity.CLIENT_ID)));
                          admin
                              .describeClientQuotas(all)
                              .entities()
                              .get()
                              .forEach(
                                  (entity, values) -> {
                                    String id = entity.entries().get(ClientQuotaEntity.CLIENT_ID);
                                    if (entity.entries().size() == 1
                                        && id != null
                                        && id.startsWith(Quotas.CLIENT_ID_PREFIX)) {
                                      quotas.put(id, new TreeMap<>(values));
                                    }
                                  });
                          return quotas;
                        })));
    return out;
  }

  /** The ACL bindings of {@code principals} now, per cluster alias. */
  public Map<String, Set<AclBinding>> currentAcls(Set<String> principals) {
    Map<String, Set<AclBinding>> out = new TreeMap<>();
    for (var cluster : file.clusters()) {
      Set<AclBinding> bindings = new LinkedHashSet<>();
      if (!principals.isEmpty()) {
        call(
            cluster.alias(),
            admin -> {
              for (String principal : principals) {
                bindings.addAll(
                    admin
                        .describeAcls(
                            new AclBindingFilter(
                                ResourcePatternFilter.ANY,
                                new AccessControlEntryFilter(
                                    principal, null, AclOperation.ANY, AclPermissionType.ANY)))
                        .values()
                        .get());
              }
              return null;
            });
      }
      out.put(cluster.alias(), bindings);
    }
    return out;
  }

  /** Creates the missing bindings of {@code plan}. */
  public void apply(AclPlan plan) {
    Map<String, List<AclBinding>> byCluster = new TreeMap<>();
    plan.missing()
        .forEach(
            c -> byCluster.computeIfAbsent(c.cluster(), k -> new ArrayList<>()).add(c.binding()));
    byCluster.forEach(
        (alias, bindings) ->
            call(
                alias,
                admin -> {
                  admin.createAcls(bindings).all().get();
                  return null;
                }));
  }

  /** Makes the changes of {@code plan}. */
  public void apply(QuotaPlan plan) {
    Map<String, List<ClientQuotaAlteration>> byCluster = new TreeMap<>();
    for (QuotaPlan.Change c : plan.changes()) {
      byCluster
          .computeIfAbsent(c.cluster(), k -> new ArrayList<>())
          .add(
              new ClientQuotaAlteration(
                  new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, c.clientId())),
                  List.of(new ClientQuotaAlteration.Op(c.key(), c.desired()))));
    }
    byCluster.forEach(
        (alias, alterations) ->
            call(
                alias,
                admin -> {
                  admin.alterClientQuotas(alterations).all().get();
                  return null;
                }));
  }

  private interface AdminCall<T> {
    T run(Admin admin) throws ExecutionException, InterruptedException;
  }

  private <T> T call(String alias, AdminCall<T> call) {
    try (Admin admin = Admin.create(ClusterClients.adminConfig(file.cluster(alias)))) {
      return call.run(admin);
    } catch (ExecutionException e) {
      throw new ClusterException(
          "cluster \"" + alias + "\": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while talking to cluster \"" + alias + "\"", e);
    } catch (RuntimeException e) {
      throw new ClusterException("cluster \"" + alias + "\": " + e.getMessage(), e);
    }
  }

  /** A cluster could not be read or changed. */
  public static final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClusterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
