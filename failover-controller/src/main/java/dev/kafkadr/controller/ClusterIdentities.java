package dev.kafkadr.controller;

import dev.kafkadr.config.ClientIdentity;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Puts the controller's own principal per cluster ({@code kdr.client-config.<alias>}) into effect
 * before anything else starts: each file named in any configuration source becomes the system
 * property {@link ClientIdentity} reads, and is read once, so that a missing file or a key that is
 * no security setting stops the start-up with the reason instead of failing every scan later.
 */
@ApplicationScoped
public class ClusterIdentities {

  private static final Logger LOG = Logger.getLogger(ClusterIdentities.class);

  private final ControllerConfig config;
  private final Map<String, java.util.Optional<String>> before =
      new java.util.concurrent.ConcurrentHashMap<>();

  ClusterIdentities(ControllerConfig config) {
    this.config = config;
  }

  /** Puts back the system properties it changed as they were before it started. */
  void onStop(@Observes io.quarkus.runtime.ShutdownEvent event) {
    // A controller started again in the same JVM (tests) must not inherit these.
    before.forEach(
        (property, value) -> {
          if (value.isEmpty()) {
            System.clearProperty(property);
          } else {
            System.setProperty(property, value.get());
          }
        });
    before.clear();
  }

  /**
   * Applies and checks every configured identity.
   *
   * @throws IllegalArgumentException naming the file, the key and the setting, when one is unusable
   */
  void onStart(@Observes @Priority(1) StartupEvent event) {
    for (Map.Entry<String, Path> e : config.clientConfig().entrySet()) {
      String property = ClientIdentity.property(e.getKey());
      before.putIfAbsent(property, java.util.Optional.ofNullable(System.getProperty(property)));
      System.setProperty(property, e.getValue().toString());
      Map<String, String> settings = ClientIdentity.of(e.getKey());
      LOG.infof(
          "cluster %s: the controller logs in with its own settings from %s (%s)",
          e.getKey(), e.getValue(), settings.getOrDefault("security.protocol", "PLAINTEXT"));
    }
  }
}
