package dev.kafkadr.controller.workflow;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What the acting controller does when it starts, or (on the etcd store) when it becomes the
 * leader: it reads every workflow's journal from the state store, and resumes each workflow whose
 * tenant lock it finds: steps the journal shows done are skipped, the step that was running runs
 * again (steps look before they act, so none of their effects happens twice); a rollback a crash
 * interrupted goes on; a lock naming a workflow that is not running is released.
 */
final class WorkflowResumption {

  private static final Logger LOG = Logger.getLogger(WorkflowResumption.class);

  /** Logs of the state store that are not workflow journals. */
  private static final Set<String> NOT_JOURNALS = Set.of("audit", "drill-occurrences");

  private WorkflowResumption() {}

  /** Reads the journals into {@code workflows}' runs and resumes the unfinished ones. */
  static synchronized void resume(Workflows workflows) {
    Map<String, WorkflowRun> runs = workflows.runs();
    for (String id : workflows.store().logs("")) {
      if (NOT_JOURNALS.contains(id)) {
        continue;
      }
      WorkflowRun known = runs.get(id);
      if (known != null && known.state() == WorkflowRun.State.RUNNING && known.executing()) {
        continue; // running in this process already
      }
      Optional.ofNullable(Plans.replay(id, workflows.journal(id).read()))
          .ifPresent(r -> runs.put(id, r));
    }
    for (var lock : workflows.locks().held().entrySet()) {
      String tenant = lock.getKey();
      String id = lock.getValue();
      WorkflowRun run = runs.get(id);
      if (run != null && run.executing()) {
        continue;
      }
      Journal journal = workflows.journal(id);
      if (run != null && run.state() == WorkflowRun.State.ROLLING_BACK) {
        LOG.infof("resuming the rollback of workflow %s for %s", id, tenant);
        workflows.submitRollback(run, journal);
      } else if (run == null || run.state() != WorkflowRun.State.RUNNING) {
        LOG.warnf("the workflow lock of %s names %s, which is not running: released", tenant, id);
        workflows.locks().unlock(tenant, id);
      } else {
        LOG.infof("resuming workflow %s for %s", id, tenant);
        workflows.submitExecute(run, journal);
      }
    }
  }
}
