package dev.kafkadr.controller.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Posts each drill's outcome as JSON to the URL in {@code kdr.drill.webhook-url} when the drill
 * ends, so that a team's chat or ticketing system hears of it: {@code {"drill", "tenant", "kind",
 * "outcome", "passed", "error", "report", "reportSha256", "sequence", "page", "at"}} ({@code page}
 * is the report page's path on the controller). With {@code kdr.drill.webhook-secret} (a
 * ConfigProvider reference) the body is signed, HMAC-SHA256 in the header {@code X-Kdr-Signature:
 * sha256=<hex>}, the way GitHub signs its webhooks, so the receiver can tell it came from this
 * controller. A post that fails (no answer within 10 s, or a status other than 2xx) is tried again
 * after 1 s and 5 s, then given up: logged (never the secret) and counted in {@code
 * kdr_drill_webhook_failures_total}. The drill's outcome does not wait for it.
 */
public final class DrillWebhook {

  private static final Logger LOG = Logger.getLogger(DrillWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI url;
  private final Optional<String> secret;
  private final List<Duration> retries;

  /**
   * A webhook posting to {@code url}, signing with {@code secret} (the secret itself, already
   * resolved), trying again after each of {@code retries}.
   */
  public DrillWebhook(URI url, Optional<String> secret, List<Duration> retries) {
    this.url = url;
    this.secret = secret;
    this.retries = List.copyOf(retries);
  }

  /**
   * The configured webhook, or empty when {@code kdr.drill.webhook-url} is unset.
   *
   * @throws IllegalStateException when the secret's reference resolves to nothing
   */
  static Optional<DrillWebhook> configured() {
    var config = ConfigProvider.getConfig();
    Optional<URI> url = config.getOptionalValue("kdr.drill.webhook-url", URI.class);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    // Read as written: MicroProfile Config would take ${file:...} for one of its own expressions.
    Optional<String> secret =
        io.smallrye.config.Expressions.withoutExpansion(
                () -> config.getOptionalValue("kdr.drill.webhook-secret", String.class))
            .map(
                ref ->
                    dev.kafkadr.config.Secrets.resolve(ref)
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    "kdr.drill.webhook-secret: " + ref + " resolves to nothing")));
    return Optional.of(
        new DrillWebhook(url.get(), secret, List.of(Duration.ofSeconds(1), Duration.ofSeconds(5))));
  }

  /**
   * Posts {@code body} in the background, trying again as configured.
   *
   * @return when it was delivered (true) or given up (false)
   */
  public CompletableFuture<Boolean> post(Map<String, Object> body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("a webhook body that is not JSON: " + e.getMessage(), e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "kafka-dr-controller")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    secret.ifPresent(s -> request.header("X-Kdr-Signature", "sha256=" + hmac(s, bytes)));
    return attempt(request.build(), 0);
  }

  private CompletableFuture<Boolean> attempt(HttpRequest request, int done) {
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) -> {
              if (failure == null && response.statusCode() / 100 == 2) {
                return CompletableFuture.completedFuture(true);
              }
              String why =
                  failure != null ? Workflows.message(failure) : "HTTP " + response.statusCode();
              if (done >= retries.size()) {
                LOG.warnf("drill webhook %s given up after %d attempts: %s", url, done + 1, why);
                io.micrometer.core.instrument.Metrics.counter("kdr.drill.webhook.failures")
                    .increment();
                return CompletableFuture.completedFuture(false);
              }
              Executor later =
                  CompletableFuture.delayedExecutor(
                      retries.get(done).toMillis(), TimeUnit.MILLISECONDS);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenCompose(x -> attempt(request, done + 1));
            })
        .thenCompose(f -> f);
  }

  /** HMAC-SHA256 of {@code body} with {@code secret}, lower-case hex. */
  static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** The body for a drill that ended: {@code facts} are the finished event's. */
  static Map<String, Object> body(
      WorkflowRun run, WorkflowRun.State outcome, Map<String, Object> facts, String error) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("drill", run.id());
    out.put("tenant", run.tenant());
    out.put("kind", run.kind() == WorkflowKind.DRILL_SWITCHOVER ? "switchover" : "verify");
    out.put("outcome", outcome.name());
    out.put("passed", outcome == WorkflowRun.State.SUCCEEDED);
    out.put("error", error);
    out.put("report", facts.get("drillReport"));
    out.put("reportSha256", facts.get("drillReportSha256"));
    out.put("sequence", facts.get("drillReportSequence"));
    out.put("page", "/api/drills/" + run.id() + "/html");
    out.put("at", java.time.Instant.now().toString());
    return out;
  }
}
