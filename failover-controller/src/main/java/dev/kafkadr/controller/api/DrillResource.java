package dev.kafkadr.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkadr.config.drill.DrillReports;
import dev.kafkadr.controller.ControllerConfig;
import dev.kafkadr.controller.workflow.DrillChainTopic;
import dev.kafkadr.controller.workflow.Workflows;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Drill reports: the list, one report with its signature, the public key to check them with, and
 * each tenant's chain checked against the report hashes the audit log published.
 */
@RolesAllowed({"viewer", "operator"})
@Path("/api/drills")
@Produces(MediaType.APPLICATION_JSON)
public class DrillResource {

  private final ControllerConfig config;
  private final Workflows workflows;
  private final io.quarkus.qute.Template page;
  private final dev.kafkadr.controller.LagMonitor monitor;
  private final TenantScope scope;

  DrillResource(
      ControllerConfig config,
      Workflows workflows,
      @io.quarkus.qute.Location("drill-report.html") io.quarkus.qute.Template page,
      dev.kafkadr.controller.LagMonitor monitor,
      TenantScope scope) {
    this.monitor = monitor;
    this.scope = scope;
    this.config = config;
    this.workflows = workflows;
    this.page = page;
  }

  private DrillReports reports() {
    return new DrillReports(config.workflow().journalDir().resolve("drills"));
  }

  /**
   * Every report of the tenants the caller may read, oldest first per tenant (with {@code newest},
   * each tenant's newest only): tenant, sequence, drill id, outcome, failed checks, when it was
   * written, file.
   */
  @GET
  @Operation(summary = "Every drill report: tenant, sequence, drill id, passed, failed checks")
  public List<Map<String, Object>> list(
      @QueryParam("tenant") String tenant, @QueryParam("newest") boolean newest) {
    return (newest ? reports().newest() : reports().all())
        .stream()
            // By the tenant's folder, before any report is read: another tenant's is never opened.
            .filter(p -> scope.reads(folderTenant(p)))
            .map(
                p -> {
                  JsonNode r = DrillReports.read(p);
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("tenant", r.path("tenant").asText());
                  row.put("sequence", r.path("sequence").asLong());
                  row.put("id", r.path("drill").asText());
                  row.put("kind", r.path("kind").asText());
                  row.put("passed", r.path("passed").asBoolean());
                  row.put("failedChecks", r.path("failedChecks"));
                  row.put("writtenAt", r.path("writtenAt").asText());
                  row.put("file", p.getFileName().toString());
                  return row;
                })
            .filter(row -> tenant == null || tenant.equals(row.get("tenant")))
            .filter(row -> scope.reads((String) row.get("tenant")))
            .toList();
  }

  /** One report as written (the bytes its signature covers). */
  @GET
  @Path("/{drill}")
  @Operation(summary = "One drill report, byte for byte as signed")
  @APIResponse(responseCode = "404", description = "No report of a drill with this id")
  public String get(@PathParam("drill") String id) throws IOException {
    return Files.readString(find(id));
  }

  /**
   * One report as an HTML page for people and auditors (no script): outcome, RPO/RTO against
   * target, each check with what to fix, per-partition figures, groups, the timeline of steps and
   * links to the signed evidence.
   */
  @GET
  @Path("/{drill}/html")
  @Produces(MediaType.TEXT_HTML)
  @Operation(summary = "One drill report as an HTML page")
  @APIResponse(responseCode = "404", description = "No report of a drill with this id")
  public String html(@PathParam("drill") String id) {
    JsonNode report = DrillReports.read(find(id));
    JsonNode steps =
        workflows
            .get(id)
            .map(
                v ->
                    (JsonNode)
                        new com.fasterxml.jackson.databind.ObjectMapper()
                            .findAndRegisterModules()
                            .valueToTree(v.steps()))
            .orElse(null);
    io.quarkus.qute.TemplateInstance instance = page.instance();
    DrillPage.of(report, steps).forEach(instance::data);
    return instance.render();
  }

  /** The report's Ed25519 signature, base64. */
  @GET
  @Path("/{drill}/signature")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(summary = "The Ed25519 signature of one drill report, base64")
  @APIResponse(responseCode = "404", description = "No report of a drill with this id")
  public String signature(@PathParam("drill") String id) throws IOException {
    return Files.readString(DrillReports.signatureOf(find(id)));
  }

  /** The public key the reports are signed with, PEM. */
  @GET
  @Path("/public-key")
  @Produces(MediaType.TEXT_PLAIN)
  @Operation(summary = "The Ed25519 public key drill reports are signed with, PEM")
  public String publicKey() {
    return reports().publicKeyPem();
  }

  /**
   * Checks a tenant's chain: signatures, sequence, hashes, and every report's hash against those
   * the audit log recorded when each drill ended.
   */
  @GET
  @Path("/chain/{tenant}")
  @Operation(summary = "Checks one tenant's report chain; names the first report that fails")
  @APIResponse(responseCode = "404", description = "No tenant with this id the caller may read")
  public Map<String, Object> chain(@PathParam("tenant") String tenant) {
    scope.requireKnown(tenant);
    DrillReports reports = reports();
    Set<String> published =
        workflows.audit().stream()
            .map(e -> e.get("drillReportSha256"))
            .filter(h -> h instanceof String)
            .map(String.class::cast)
            .collect(Collectors.toSet());
    var dir = config.workflow().journalDir().resolve("drills").resolve(tenant);
    var key = DrillReports.publicKey(reports.publicKeyPem());
    Optional<DrillReports.Broken> broken = DrillReports.verify(dir, key, Optional.of(published));
    Map<String, Object> places = new LinkedHashMap<>();
    places.put("audit log", broken.map(b -> "broken at " + b.report()).orElse("holds"));
    for (var cluster : clusters(tenant)) {
      String where = DrillChainTopic.TOPIC + " on " + cluster.alias();
      Map<String, Long> heads;
      try {
        heads = DrillChainTopic.heads(cluster, tenant);
      } catch (Exception e) {
        places.put(where, "not read: " + e.getMessage());
        continue;
      }
      if (heads.isEmpty()) {
        places.put(where, "no head published there");
        continue;
      }
      var there = DrillReports.verify(dir, key, Optional.of(DrillChainTopic.expected(dir, heads)));
      places.put(
          where,
          there.map(b -> "broken at " + b.report()).orElse("holds (" + heads.size() + " heads)"));
      if (broken.isEmpty() && there.isPresent()) {
        broken =
            Optional.of(
                new DrillReports.Broken(there.get().report(), there.get().why() + " on " + where));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tenant", tenant);
    out.put("reports", DrillReports.reports(dir).size());
    out.put("holds", broken.isEmpty());
    out.put("publishedHeads", places);
    broken.ifPresent(
        b -> {
          out.put("firstBroken", b.report());
          out.put("why", b.why());
        });
    return out;
  }

  /** The clusters of {@code tenant}'s flows, each once. */
  private List<dev.kafkadr.config.ClusterSpec> clusters(String tenant) {
    var file = monitor.tenants();
    return file.flows().stream()
        .filter(f -> f.tenants().contains(tenant))
        .flatMap(f -> java.util.stream.Stream.of(f.source(), f.target()))
        .distinct()
        .map(file::cluster)
        .toList();
  }

  /** The tenant whose report {@code report} is: the folder it is kept in. */
  private static String folderTenant(java.nio.file.Path report) {
    return report.getParent().getFileName().toString();
  }

  /** The report of drill {@code id}; 404 when there is none of a tenant the caller may read. */
  private java.nio.file.Path find(String id) {
    return reports().all().stream()
        .filter(p -> p.getFileName().toString().endsWith("-" + id + ".json"))
        .filter(p -> scope.reads(folderTenant(p)))
        .findFirst()
        .orElseThrow(() -> TenantScope.notFound("no drill report of \"" + id + "\""));
  }
}
