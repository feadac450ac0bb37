package dev.kafkadr.controller.api;

import dev.kafkadr.controller.auth.Grants;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The calling user's tenants, checked by every tenant-scoped endpoint before it reads anything: a
 * tenant the user holds no role of answers 404 with the same body as a tenant that does not exist
 * (nothing tells the two apart); a tenant the user may read but not operate answers 403 to an
 * operator's call. The rule of each role is {@link Grants}'.
 */
@RequestScoped
public class TenantScope {

  private final SecurityIdentity identity;
  private final dev.kafkadr.controller.LagMonitor monitor;

  TenantScope(SecurityIdentity identity, dev.kafkadr.controller.LagMonitor monitor) {
    this.identity = identity;
    this.monitor = monitor;
  }

  /** The caller's grants; none for an identity that is not a kafka-dr user. */
  public Grants grants() {
    Grants grants = identity.getAttribute(Grants.ATTRIBUTE);
    return grants == null ? Grants.none() : grants;
  }

  /** Whether the caller may read {@code tenant}'s lag, workflows, drills, events and metrics. */
  public boolean reads(String tenant) {
    return tenant != null && grants().reads(tenant);
  }

  /** The elements of {@code all} whose tenant ({@code tenantOf}) the caller may read. */
  public <T> Stream<T> readable(Stream<T> all, Function<T, String> tenantOf) {
    Grants grants = grants();
    return all.filter(
        t -> {
          String tenant = tenantOf.apply(t);
          return tenant != null && grants.reads(tenant);
        });
  }

  /**
   * Fails with 404, as for a tenant that does not exist, unless the caller may read {@code tenant}.
   */
  public void requireReads(String tenant) {
    if (!reads(tenant)) {
      throw noTenant(tenant);
    }
  }

  /**
   * The tenant {@code id} of the tenants file when the caller may read it; 404 (the same answer)
   * when it may not, and when there is no such tenant.
   */
  public dev.kafkadr.tenant.Tenant requireKnown(String id) {
    requireReads(id);
    return monitor.tenants().tenants().stream()
        .filter(t -> t.id().equals(id))
        .findFirst()
        .orElseThrow(() -> noTenant(id));
  }

  /** Fails with 404 (as {@link #requireReads}) or, for a tenant it only reads, 403. */
  public void requireOperates(String tenant) {
    requireReads(tenant);
    if (!grants().has("operator", tenant)) {
      throw forbidden("operator of tenant \"" + tenant + "\" needed");
    }
  }

  /** Fails with 404 unless the caller is a client, viewer or operator of {@code tenant}. */
  public void requireBootstrap(String tenant) {
    if (tenant == null || !grants().readsBootstrap(tenant)) {
      throw noTenant(tenant);
    }
  }

  /** Fails with 403 unless the caller holds {@code role} for every tenant. */
  public void requireEverywhere(String role) {
    if (!grants().hasEverywhere(role)) {
      throw forbidden(role + " of every tenant needed");
    }
  }

  /** The 404 of an unknown tenant, the same for a tenant the caller may not see. */
  public static NotFoundException noTenant(String tenant) {
    return notFound("no tenant \"" + tenant + "\"");
  }

  /** A 404 whose JSON body is {@code {"error": why}}. */
  public static NotFoundException notFound(String why) {
    return new NotFoundException(
        Response.status(404).type(MediaType.APPLICATION_JSON).entity(Map.of("error", why)).build());
  }

  private static ForbiddenException forbidden(String why) {
    return new ForbiddenException(
        Response.status(403).type(MediaType.APPLICATION_JSON).entity(Map.of("error", why)).build());
  }
}
