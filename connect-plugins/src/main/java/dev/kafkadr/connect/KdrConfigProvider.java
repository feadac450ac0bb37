package dev.kafkadr.connect;

import dev.kafkadr.client.ControllerTls;
import dev.kafkadr.client.Registry;
import dev.kafkadr.client.RegistryException;
import java.nio.file.Path;
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
 * config.providers.kdr.param.url=https://kdr-controller:8443
 * config.providers.kdr.param.truststore=/etc/kafka-dr/controller-ca.pem
 * config.providers.kdr.param.user=payments-app
 * config.providers.kdr.param.password=...
 * bootstrap.servers=${kdr:payments:bootstrap.servers}
 * </pre>
 *
 * <p>Parameters: {@code url} (required: the controller's URL, or its replicas' URLs
 * comma-separated, asked in turn), {@code user} and {@code password} (a controller user with role
 * {@code client}), {@code truststore} (a PEM file of the certificates that sign the controller's;
 * default the JVM's trust store), {@code insecure} ({@code true} accepts a plain {@code http://}
 * URL, for a sandbox only; refused otherwise), {@code cache.dir} (default {@code
 * ${java.io.tmpdir}/kdr-bootstrap-cache}), {@code timeout.ms} (default 5000).
 */
public final class KdrConfigProvider implements ConfigProvider {

  private Registry registry;

  @Override
  public void configure(Map<String, ?> configs) {
    Object url = configs.get("url");
    if (url == null || String.valueOf(url).isBlank()) {
      throw new ConfigException(
          "config.providers.kdr.param.url is missing: the failover controller's URL, e.g."
              + " https://kdr-controller:8443");
    }
    Object truststore = configs.get("truststore");
    ControllerTls tls =
        new ControllerTls(
            truststore == null || String.valueOf(truststore).isBlank()
                ? java.util.Optional.empty()
                : java.util.Optional.of(Path.of(String.valueOf(truststore))),
            "true".equalsIgnoreCase(String.valueOf(configs.get("insecure"))));
    Object dir = configs.get("cache.dir");
    Object ms = configs.get("timeout.ms");
    try {
      registry =
          new Registry(
              Registry.urls(String.valueOf(url)),
              dir == null
                  ? Path.of(System.getProperty("java.io.tmpdir"), "kdr-bootstrap-cache")
                  : Path.of(String.valueOf(dir)),
              Duration.ofMillis(ms == null ? 5000 : Long.parseLong(String.valueOf(ms))),
              configs.get("user") == null ? null : String.valueOf(configs.get("user")),
              configs.get("password") == null ? null : String.valueOf(configs.get("password")),
              tls);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config.providers.kdr.param: " + e.getMessage());
    }
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
    try {
      return registry.properties(tenant);
    } catch (RegistryException e) {
      throw new ConfigException("${kdr:" + tenant + ":...}: " + e.getMessage());
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
