package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.store.StateStore;
import dev.kafkadr.controller.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One workflow per tenant at a time: the document {@code locks/<tenant>} of the state store,
 * created only if absent (compare-and-set on version 0), holding the id of the workflow that holds
 * it.
 */
final class TenantLocks {

  private static final Logger LOG = Logger.getLogger(TenantLocks.class);
  private static final String LOCKS = "locks";

  private final StateStore store;

  /** The locks kept in {@code store}. */
  TenantLocks(StateStore store) {
    this.store = store;
  }

  /**
   * Takes {@code tenant}'s lock for workflow {@code id}.
   *
   * @throws WorkflowRefused when another workflow holds it, naming that workflow, or this replica
   *     may not write (it does not lead)
   */
  void lock(String tenant, String id) {
    String key = LOCKS + "/" + tenant;
    try {
      store.put(key, id, 0);
    } catch (StateStore.StaleWrite e) {
      String holder = store.get(key).map(StateStore.Doc::value).orElse(null);
      if (holder == null) {
        throw new WorkflowRefused(e.getMessage());
      }
      throw new WorkflowRefused(
          "tenant \""
              + tenant
              + "\" already has a workflow running: "
              + holder
              + "; one workflow per tenant at a time");
    }
  }

  /** Releases {@code tenant}'s lock if workflow {@code id} holds it. */
  void unlock(String tenant, String id) {
    String key = LOCKS + "/" + tenant;
    try {
      store
          .get(key)
          .filter(d -> d.value().trim().equals(id))
          .ifPresent(d -> store.delete(key, d.version()));
    } catch (StateStore.StaleWrite | StoreException e) {
      LOG.warnf("workflow lock of %s not released: %s", tenant, e.getMessage());
    }
  }

  /** The id of the workflow holding {@code tenant}'s lock, if one does (one read of the store). */
  java.util.Optional<String> holder(String tenant) {
    return store.get(LOCKS + "/" + tenant).map(d -> d.value().trim());
  }

  /** Every lock held: the workflow id by tenant. */
  Map<String, String> held() {
    Map<String, String> out = new LinkedHashMap<>();
    store.list(LOCKS).forEach((tenant, doc) -> out.put(tenant, doc.value().trim()));
    return out;
  }
}
