package dev.kafkadr.controller.store;

import dev.kafkadr.controller.ControllerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Produces the configured {@link StateStore}: local in the journal directory, or etcd. */
@ApplicationScoped
public class StateStores {

  @Produces
  @ApplicationScoped
  StateStore store(
      StoreConfig config, ControllerConfig controller, EtcdStore etcd, Leadership leadership) {
    if (etcd.client().isEmpty()) {
      return new LocalStateStore(controller.workflow().journalDir());
    }
    return new EtcdStateStore(
        etcd.client().get(),
        config.etcd().prefix(),
        leadership::token,
        etcd.key("leader"),
        config.etcd().requestTimeout());
  }
}
