package dev.kafkadr.connect;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * A Kafka {@link ConfigProvider} that resolves {@code ${kdr:<tenant>:bootstrap.servers}} (and
 * {@code cluster.id}, {@code epoch}) from the failover controller's bootstrap registry, so that any
 * Java client, Streams application or Connect worker starts on the cluster its tenant uses now. The
 * last answer is cached on disk: a client still starts when the controller is down.
 *
 * <pre>
 * config.providers=kdr
 * config.providers.kdr.class=dev.kafkadr.connect.KdrConfigProvider
 * config.providers.kdr.param.url=http://kdr-controller:8080
 * bootstrap.servers=${kdr:payments:bootstrap.servers}
 * </pre>
 *
 * <p>Parameters: {@code url} (required), {@code cache.dir} (default {@code
 * ${java.io.tmpdir}/kdr-bootstrap-cache}), {@code timeout.ms} (default 5000).
 */
public final class KdrConfigProvider implements ConfigProvider {

  private URI controller;
  private Path cacheDir;
  private Duration timeout;
  private HttpClient http;

  @Override
  public void configure(Map<String, ?> configs) {
    Object url = configs.get("url");
    if (url == null || String.valueOf(url).isBlank()) {
      throw new ConfigException(
          "config.providers.kdr.param.url is missing: the failover controller's URL, e.g."
              + " http://kdr-controller:8080");
    }
    controller = URI.create(String.valueOf(url).replaceAll("/+$", "") + "/");
    Object dir = configs.get("cache.dir");
    cacheDir =
        dir == null
            ? Path.of(System.getProperty("java.io.tmpdir"), "kdr-bootstrap-cache")
            : Path.of(String.valueOf(dir));
    Object ms = configs.get("timeout.ms");
    timeout = Duration.ofMillis(ms == null ? 5000 : Long.parseLong(String.valueOf(ms)));
    http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public ConfigData get(String path) {
    return new ConfigData(toMap(properties(path)));
  }

  @Override
  public ConfigData get(String path, Set<String> keys) {
    Properties p = properties(path);
    Map<String, String> out = new HashMap<>();
    for (String key : keys) {
      String value = p.getProperty(key);
      if (value == null) {
        throw new ConfigException(
            "${kdr:"
                + path
                + ":"
                + key
                + "}: the registry has no "
                + key
                + "; it has "
                + p.keySet());
      }
      out.put(key, value);
    }
    return new ConfigData(out);
  }

  /**
   * The tenant's entry from the controller, or from the cache when the controller does not answer.
   */
  private Properties properties(String tenant) {
    if (tenant == null || !tenant.matches("[a-z0-9][a-z0-9-]*")) {
      throw new ConfigException("${kdr:<tenant>:...}: \"" + tenant + "\" is not a tenant id");
    }
    Path cache = cacheDir.resolve(tenant + ".properties");
    URI uri =
        controller.resolve(
            "api/tenants/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "/bootstrap");
    String failure;
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "text/plain").build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        Properties p = parse(response.body());
        write(cache, response.body());
        return p;
      }
      if (response.statusCode() == 404) {
        throw new ConfigException(
            "${kdr:"
                + tenant
                + ":...}: the controller at "
                + controller
                + " knows no tenant \""
                + tenant
                + "\"");
      }
      failure = "answered " + response.statusCode();
    } catch (IOException e) {
      failure = "cannot be reached (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "was interrupted";
    }
    if (Files.exists(cache)) {
      try {
        return parse(Files.readString(cache));
      } catch (IOException e) {
        failure += "; the cache " + cache + " cannot be read: " + e.getMessage();
      }
    }
    throw new ConfigException(
        "${kdr:"
            + tenant
            + ":...}: the controller at "
            + controller
            + " "
            + failure
            + ", and there is no cached answer in "
            + cacheDir);
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

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  @Override
  public void close() {
    // Nothing held open: the JDK's HTTP client needs no closing here.
  }
}
