package dev.kafkadr.client;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Reads a tenant's {@link Location} from the failover controller ({@code GET
 * /api/tenants/{id}/bootstrap}, as Java properties) and keeps the last answer on disk, so that a
 * client still starts on the right cluster while the controller is down. Given several controller
 * replicas (one per region), it asks them in turn until one answers, starting with the one that
 * answered last; every replica serves the registry the leader keeps, so any answer is current.
 */
public final class Registry {

  private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final List<URI> controllers;
  private volatile int preferred;
  private final Path cacheDir;
  private final Duration timeout;
  private final HttpClient http;
  private final String authorization;

  /**
   * A registry client without credentials (a controller that asks for none).
   *
   * @param controller the controller's base URL, e.g. {@code https://kdr-controller:8443}
   * @param cacheDir where the last answer per tenant is kept
   * @param timeout for connecting and for each request
   */
  public Registry(URI controller, Path cacheDir, Duration timeout) {
    this(controller, cacheDir, timeout, null, null);
  }

  /**
   * A registry client that authenticates as {@code user} (a user of the controller with role {@code
   * client}, which may read the registry and nothing else).
   */
  public Registry(URI controller, Path cacheDir, Duration timeout, String user, String password) {
    this(List.of(controller), cacheDir, timeout, user, password);
  }

  /**
   * A registry client of several controller replicas, asked in turn, over HTTPS verified against
   * the JVM's trust store.
   *
   * @throws IllegalArgumentException when {@code controllers} is empty or a URL is not https://
   */
  public Registry(
      List<URI> controllers, Path cacheDir, Duration timeout, String user, String password) {
    this(controllers, cacheDir, timeout, user, password, ControllerTls.verified());
  }

  /**
   * A registry client of several controller replicas, asked in turn, checking each with {@code
   * tls}.
   *
   * @throws IllegalArgumentException when {@code controllers} is empty or {@code tls} refuses a URL
   *     (plain HTTP not allowed), or its trusted certificates cannot be read
   */
  public Registry(
      List<URI> controllers,
      Path cacheDir,
      Duration timeout,
      String user,
      String password,
      ControllerTls tls) {
    if (controllers.isEmpty()) {
      throw new IllegalArgumentException("no controller URL given");
    }
    this.controllers =
        controllers.stream()
            .map(tls::check)
            .map(c -> URI.create(c.toString().replaceAll("/+$", "") + "/"))
            .toList();
    this.cacheDir = cacheDir;
    this.timeout = timeout;
    this.http = tls.httpClient().connectTimeout(timeout).build();
    this.authorization =
        user == null
            ? null
            : "Basic "
                + java.util.Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A registry client of the controller at {@code controllerUrls} (one URL, or the replicas' URLs
   * comma-separated), caching under {@code ${java.io.tmpdir}/kdr-bootstrap-cache}, 5 s timeout.
   */
  public static Registry of(String controllerUrls) {
    return new Registry(
        urls(controllerUrls),
        Path.of(System.getProperty("java.io.tmpdir"), "kdr-bootstrap-cache"),
        Duration.ofSeconds(5),
        null,
        null);
  }

  /**
   * The URLs in {@code commaSeparated}, blanks dropped.
   *
   * @throws IllegalArgumentException when there is none or one is not a URL
   */
  public static List<URI> urls(String commaSeparated) {
    List<URI> out =
        java.util.Arrays.stream(commaSeparated.split(","))
            .map(String::trim)
            .filter(u -> !u.isEmpty())
            .map(URI::create)
            .toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no controller URL in \"" + commaSeparated + "\"");
    }
    return out;
  }

  /** The base URL of the controller replica that answered last (the first one at the start). */
  public URI controller() {
    return controllers.get(preferred);
  }

  /**
   * Where {@code tenant}'s clients go now: the controller's answer, or the cached one when the
   * controller does not answer.
   *
   * @throws RegistryException for an unknown tenant, or when neither the controller nor the cache
   *     can answer
   */
  public Location locate(String tenant) {
    return toLocation(tenant, properties(tenant));
  }

  /** The registry entry as properties: {@code bootstrap.servers}, {@code cluster}, ... */
  public Properties properties(String tenant) {
    if (tenant == null || !TENANT_ID.matcher(tenant).matches()) {
      throw new RegistryException("\"" + tenant + "\" is not a tenant id");
    }
    Path cache = cacheDir.resolve(tenant + ".properties");
    List<String> failures = new ArrayList<>();
    int first = preferred;
    for (int i = 0; i < controllers.size(); i++) {
      int at = (first + i) % controllers.size();
      URI controller = controllers.get(at);
      Answer answer = ask(controller, tenant, cache);
      if (answer.properties() != null) {
        preferred = at;
        return answer.properties();
      }
      failures.add(controller + " " + answer.failure());
    }
    String failure = String.join("; ", failures);
    if (Files.exists(cache)) {
      try {
        Properties p = parse(Files.readString(cache));
        p.setProperty("cached", "true");
        // Why the controllers gave no answer: unreachable, a certificate not trusted, a refusal.
        p.setProperty("cached.because", failure);
        return p;
      } catch (IOException e) {
        failure += "; the cache " + cache + " cannot be read: " + e.getMessage();
      }
    }
    throw new RegistryException(
        "the controller at "
            + failure
            + ", and there is no cached answer for \""
            + tenant
            + "\" in "
            + cacheDir);
  }

  /** One replica's answer (written to the cache too), or why there is none. */
  private record Answer(Properties properties, String failure) {
    static Answer failed(String why) {
      return new Answer(null, why);
    }
  }

  /**
   * Asks one controller replica.
   *
   * @throws RegistryException when it knows no such tenant (404)
   */
  private Answer ask(URI controller, String tenant, Path cache) {
    URI uri =
        controller.resolve(
            "api/tenants/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "/bootstrap");
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "text/plain");
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        Properties p = parse(response.body());
        write(cache, response.body());
        return new Answer(p, null);
      }
      if (response.statusCode() == 404) {
        throw new RegistryException(
            "the controller at " + controller + " knows no tenant \"" + tenant + "\"");
      }
      return Answer.failed(
          response.statusCode() == 401 || response.statusCode() == 403
              ? "refused the credentials ("
                  + response.statusCode()
                  + ": a user with role client is needed)"
              : "answered " + response.statusCode());
    } catch (IOException e) {
      return Answer.failed("cannot be reached (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("was interrupted");
    }
  }

  private static Location toLocation(String tenant, Properties p) {
    String servers = p.getProperty("bootstrap.servers");
    if (servers == null || servers.isBlank()) {
      throw new RegistryException("the registry's answer for \"" + tenant + "\" has no bootstrap");
    }
    return new Location(
        tenant,
        p.getProperty("cluster", ""),
        servers,
        p.getProperty("cluster.id", ""),
        Long.parseLong(p.getProperty("epoch", "0")),
        Boolean.parseBoolean(p.getProperty("cached", "false")));
  }

  private static Properties parse(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  private static void write(Path cache, String text) {
    try {
      Files.createDirectories(cache.getParent());
      Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // The answer is still good; only the next start without the controller would miss it.
    }
  }
}
