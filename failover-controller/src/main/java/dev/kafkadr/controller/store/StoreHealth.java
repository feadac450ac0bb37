package dev.kafkadr.controller.store;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Which replica leads, in {@code /q/health}: this replica's id, whether it leads and since when,
 * the leader's id as the store answers, and whether the store answered. Up on every replica (the
 * followers serve reads); a store that does not answer is shown in the data, not as down.
 */
@Readiness
@ApplicationScoped
public class StoreHealth implements HealthCheck {

  private final StoreConfig config;
  private final Leadership leadership;

  StoreHealth(StoreConfig config, Leadership leadership) {
    this.config = config;
    this.leadership = leadership;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder out =
        HealthCheckResponse.named("controller-store")
            .up()
            .withData("store", config.type())
            .withData("replica", leadership.replicaId())
            .withData("leads", leadership.leads());
    leadership.since().ifPresent(s -> out.withData("since", s.toString()));
    try {
      out.withData("leader", leadership.leader().map(LeaderLease.Holder::replicaId).orElse("none"));
      out.withData("storeAnswered", true);
    } catch (StoreException e) {
      out.withData("leader", "unknown");
      out.withData("storeAnswered", false);
    }
    return out.build();
  }
}
