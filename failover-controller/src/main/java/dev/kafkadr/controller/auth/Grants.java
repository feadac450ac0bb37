package dev.kafkadr.controller.auth;

import dev.kafkadr.tenant.TenantParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a user may do, tenant by tenant: each role ({@code viewer}, {@code operator}, {@code
 * client}) held for every tenant or for named tenants only. Written as grants separated by spaces,
 * each {@code role} (every tenant, as before tenant scopes existed), {@code role@*} (the same) or
 * {@code role@tenant,tenant} (those tenants only), e.g. {@code operator@payments-dev
 * viewer@payments-prod}. The same text is read from the users file and from a bearer token's {@code
 * groups} claim, one grant per group.
 *
 * <p>What each role allows: {@code viewer} reads the tenant's lag, history, workflows, drills,
 * audit entries, events and metrics; {@code operator} also starts its workflows; {@code client}
 * reads its bootstrap registry entry only. A tenant the user holds no role of answers 404 on every
 * tenant-scoped endpoint, as if it did not exist ({@code failover-controller/README.md}, "Users and
 * roles").
 */
public final class Grants {

  /** The roles the API knows. */
  public static final Set<String> ROLES = Set.of("viewer", "operator", "client");

  /** The name of the security identity's attribute holding its grants. */
  public static final String ATTRIBUTE = "kdr.grants";

  /** The role of a user who reads every tenant (viewer or operator of '*'), never written. */
  public static final String READS_EVERYTHING = "reader-of-every-tenant";

  /** Stands for every tenant in a grant. */
  public static final String EVERY_TENANT = "*";

  /** A tenant id as the tenants file allows it. */
  private static final Pattern TENANT = Pattern.compile(TenantParser.ID_PATTERN);

  private final Map<String, Set<String>> tenantsByRole;

  private Grants(Map<String, Set<String>> tenantsByRole) {
    this.tenantsByRole = tenantsByRole;
  }

  /**
   * Reads grants written as described on the class.
   *
   * @param text one or more grants separated by whitespace
   * @return the grants
   * @throws IllegalArgumentException naming the first grant that is wrong and why
   */
  public static Grants parse(String text) {
    return parse(List.of(text.trim().split("\\s+")));
  }

  /**
   * Reads one grant per element, as a token's {@code groups} claim carries them.
   *
   * @throws IllegalArgumentException naming the first grant that is wrong and why
   */
  public static Grants parse(List<String> grants) {
    Map<String, Set<String>> byRole = new LinkedHashMap<>();
    for (String grant : grants) {
      if (grant.isBlank()) {
        continue;
      }
      int at = grant.indexOf('@');
      String role = at < 0 ? grant : grant.substring(0, at);
      if (!ROLES.contains(role)) {
        throw new IllegalArgumentException(
            "\"" + grant + "\": role must be one of " + new java.util.TreeSet<>(ROLES));
      }
      Set<String> tenants = byRole.computeIfAbsent(role, r -> new LinkedHashSet<>());
      if (at < 0) {
        tenants.add(EVERY_TENANT);
        continue;
      }
      String list = grant.substring(at + 1);
      for (String tenant : list.split(",", -1)) {
        if (!tenant.equals(EVERY_TENANT) && !TENANT.matcher(tenant).matches()) {
          throw new IllegalArgumentException(
              "\""
                  + grant
                  + "\": after '@' comes '*' or tenant ids separated by commas, not \""
                  + list
                  + "\"");
        }
        tenants.add(tenant);
      }
    }
    if (byRole.isEmpty()) {
      throw new IllegalArgumentException("no role given");
    }
    byRole.replaceAll((r, t) -> Collections.unmodifiableSet(t));
    return new Grants(Collections.unmodifiableMap(byRole));
  }

  /** Grants reading nothing: for an identity that is not a kafka-dr user. */
  public static Grants none() {
    return new Grants(Map.of());
  }

  /**
   * The roles held for at least one tenant, for the framework's role checks, and {@link
   * #READS_EVERYTHING} when {@link #readsEverything()} (the whole-service endpoints' role, such as
   * {@code /q/metrics}'s).
   */
  public Set<String> roles() {
    if (!readsEverything()) {
      return tenantsByRole.keySet();
    }
    Set<String> roles = new LinkedHashSet<>(tenantsByRole.keySet());
    roles.add(READS_EVERYTHING);
    return roles;
  }

  /** Whether {@code role} is held for {@code tenant}. */
  public boolean has(String role, String tenant) {
    Set<String> tenants = tenantsByRole.getOrDefault(role, Set.of());
    return tenants.contains(EVERY_TENANT) || tenants.contains(tenant);
  }

  /** Whether {@code role} is held for every tenant (a grant without '@' or with '@*'). */
  public boolean hasEverywhere(String role) {
    return tenantsByRole.getOrDefault(role, Set.of()).contains(EVERY_TENANT);
  }

  /** Whether the tenant's lag, history, workflows and drills may be read: viewer or operator. */
  public boolean reads(String tenant) {
    return has("viewer", tenant) || has("operator", tenant);
  }

  /** Whether every tenant may be read: what the whole-service endpoints need. */
  public boolean readsEverything() {
    return hasEverywhere("viewer") || hasEverywhere("operator");
  }

  /** Whether the tenant's registry entry may be read: client, viewer or operator of it. */
  public boolean readsBootstrap(String tenant) {
    return has("client", tenant) || reads(tenant);
  }

  /** The grants written back as the class describes them, in a stable order. */
  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    tenantsByRole.forEach(
        (role, tenants) ->
            out.add(
                tenants.contains(EVERY_TENANT) ? role : role + "@" + String.join(",", tenants)));
    return String.join(" ", out);
  }
}
