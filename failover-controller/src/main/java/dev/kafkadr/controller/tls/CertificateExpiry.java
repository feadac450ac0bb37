package dev.kafkadr.controller.tls;

import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.TenantsFileParser;
import dev.kafkadr.controller.ControllerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The expiry of every certificate the controller uses, as metrics read at start and every hour: its
 * own HTTPS certificate chain ({@code quarkus.tls.key-store.pem.0.cert}, source {@code
 * controller-https}) and each cluster's trust store and key store in the tenants file (source
 * {@code <alias>-truststore}, {@code <alias>-keystore}), and the stores of the controller's own
 * principal per cluster ({@code kdr.client-config.<alias>}, source {@code
 * <alias>-controller-keystore}, {@code <alias>-controller-truststore}); passwords are
 * ConfigProvider references, resolved here as the Kafka clients resolve them, never logged.
 *
 * <p>{@code kdr_certificate_expiry_timestamp_seconds{source, subject, serial}} is each
 * certificate's {@code notAfter} in Unix seconds; {@code kdr_certificate_store_readable{source}} is
 * 1, or 0 when the store cannot be read (the reason in the log). The alert rules in {@code
 * configs/prometheus/kafka-dr-alerts.yaml} fire 21 days before an expiry, again at 3, and on a
 * store that cannot be read.
 */
@ApplicationScoped
public class CertificateExpiry {

  private static final Logger LOG = Logger.getLogger(CertificateExpiry.class);

  /**
   * A store to watch.
   *
   * @param source the metric's {@code source} label
   * @param file the store
   * @param type its type, if the tenants file names one
   * @param password its password or a ConfigProvider reference to it; empty for PEM
   */
  record Watched(String source, Path file, Optional<String> type, Optional<String> password) {}

  private final ControllerConfig config;
  private final Optional<String> httpsCertificate;
  private final MultiGauge expiries;
  private final MultiGauge readable;

  CertificateExpiry(
      ControllerConfig config,
      MeterRegistry meters,
      @ConfigProperty(name = "quarkus.tls.key-store.pem.0.cert") Optional<String> httpsCert) {
    this.config = config;
    this.httpsCertificate = httpsCert;
    this.expiries =
        MultiGauge.builder("kdr.certificate.expiry.timestamp")
            .baseUnit("seconds")
            .description("When each certificate the controller uses expires (notAfter, Unix s)")
            .register(meters);
    this.readable =
        MultiGauge.builder("kdr.certificate.store.readable")
            .description("1 when a certificate store the controller uses could be read, else 0")
            .register(meters);
  }

  void onStart(@Observes StartupEvent event) {
    check();
  }

  /** Reads every watched store again and publishes what it found. */
  @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void check() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    List<MultiGauge.Row<?>> stores = new ArrayList<>();
    for (Watched w : watched()) {
      try {
        char[] password = w.password().map(CertificateExpiry::resolve).orElse("").toCharArray();
        for (X509Certificate c : CertificateFiles.read(w.file(), w.type(), password)) {
          rows.add(
              MultiGauge.Row.of(
                  Tags.of(
                      "source",
                      w.source(),
                      "subject",
                      c.getSubjectX500Principal().getName(),
                      "serial",
                      c.getSerialNumber().toString(16)),
                  c.getNotAfter().toInstant().getEpochSecond()));
        }
        stores.add(MultiGauge.Row.of(Tags.of("source", w.source()), 1));
      } catch (IOException | RuntimeException e) {
        LOG.warnf(
            "certificate store %s (%s) cannot be read: %s", w.source(), w.file(), e.getMessage());
        stores.add(MultiGauge.Row.of(Tags.of("source", w.source()), 0));
      }
    }
    expiries.register(rows, true);
    readable.register(stores, true);
  }

  /** The stores to watch, from the configuration and the tenants file. */
  List<Watched> watched() {
    List<Watched> out = new ArrayList<>();
    httpsCertificate.ifPresent(
        f ->
            out.add(
                new Watched("controller-https", Path.of(f), Optional.of("PEM"), Optional.empty())));
    List<ClusterSpec> clusters;
    try {
      clusters = TenantsFileParser.parse(config.tenantsFile()).clusters();
    } catch (RuntimeException e) {
      return out; // the controller does not start with such a file; nothing more to watch
    }
    for (ClusterSpec c : clusters) {
      for (String store : List.of("truststore", "keystore")) {
        String location = c.security().get(store + ".location");
        if (location != null) {
          out.add(
              new Watched(
                  c.alias() + "-" + store,
                  Path.of(location),
                  Optional.ofNullable(c.security().get(store + ".type")),
                  Optional.ofNullable(c.security().get(store + ".password"))));
        }
      }
      ownStores(c.alias(), out);
    }
    return out;
  }

  /** The stores of the controller's own principal for {@code alias} (kdr.client-config). */
  private static void ownStores(String alias, List<Watched> out) {
    Map<String, String> own;
    try {
      own = dev.kafkadr.config.ClientIdentity.of(alias);
    } catch (IllegalArgumentException unusable) {
      return; // refused at start-up already (ClusterIdentities)
    }
    for (String store : List.of("truststore", "keystore")) {
      String location = own.get("ssl." + store + ".location");
      if (location != null) {
        out.add(
            new Watched(
                alias + "-controller-" + store,
                Path.of(location),
                Optional.ofNullable(own.get("ssl." + store + ".type")),
                Optional.ofNullable(own.get("ssl." + store + ".password"))));
      }
    }
  }

  /**
   * {@code value} with its ConfigProvider references ({@code ${file:..}}, {@code ${env:..}})
   * resolved.
   */
  static String resolve(String value) {
    Map<String, ConfigProvider> providers = new LinkedHashMap<>();
    providers.put("file", new FileConfigProvider());
    providers.put("env", new EnvVarConfigProvider());
    providers.values().forEach(p -> p.configure(Map.of()));
    try {
      return new ConfigTransformer(providers).transform(Map.of("v", value)).data().get("v");
    } finally {
      for (ConfigProvider p : providers.values()) {
        try {
          p.close();
        } catch (IOException e) {
          // nothing held open
        }
      }
    }
  }
}
