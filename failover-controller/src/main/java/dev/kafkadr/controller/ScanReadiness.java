package dev.kafkadr.controller;

import dev.kafkadr.controller.lag.Scan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a scan has completed within three scan intervals: what the API and metrics say is then
 * fresh. A tenant whose flow could not be measured shows in the scan, not here.
 */
@Readiness
@ApplicationScoped
public class ScanReadiness implements HealthCheck {

  private final LagMonitor monitor;
  private final ControllerConfig config;

  ScanReadiness(LagMonitor monitor, ControllerConfig config) {
    this.monitor = monitor;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    Scan scan = monitor.latest();
    Duration age = Duration.between(scan.at(), Instant.now());
    boolean fresh =
        !scan.at().equals(Instant.EPOCH)
            && age.compareTo(config.scan().interval().multipliedBy(3)) < 0;
    return HealthCheckResponse.named("lag-scan")
        .status(fresh)
        .withData("lastScan", scan.at().toString())
        .withData("tookMillis", scan.took().toMillis())
        .build();
  }
}
