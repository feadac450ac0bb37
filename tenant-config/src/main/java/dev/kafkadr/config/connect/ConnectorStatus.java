package dev.kafkadr.config.connect;

import java.util.List;

/**
 * The state of a connector and its tasks as Connect reports it.
 *
 * @param name connector name
 * @param state RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED or RESTARTING
 * @param trace the connector's failure trace, or null
 * @param tasks the tasks, possibly none yet
 */
public record ConnectorStatus(String name, String state, String trace, List<Task> tasks) {

  /** One task. */
  public record Task(int id, String state, String workerId, String trace) {}

  /** The connector, at least one task, and every task are RUNNING. */
  public boolean isRunning() {
    return isRunning(1);
  }

  /**
   * The connector and every task are RUNNING and there are at least {@code minTasks} tasks. MM2's
   * checkpoint connector, for one, has no task until a consumer group matches its filter.
   */
  public boolean isRunning(int minTasks) {
    return "RUNNING".equals(state)
        && tasks.size() >= minTasks
        && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
  }

  /** The connector or any task FAILED. */
  public boolean isFailed() {
    return "FAILED".equals(state) || tasks.stream().anyMatch(t -> "FAILED".equals(t.state()));
  }

  /**
   * The connector's state and each task's, e.g. {@code RUNNING, task 0 FAILED
   * (org.apache.kafka.common.errors.TopicAuthorizationException: ...)}: the first line of the first
   * failure trace, or {@code no task} while there is none.
   */
  public String describe() {
    StringBuilder out = new StringBuilder(state);
    if (tasks.isEmpty()) {
      out.append(", no task");
    }
    tasks.forEach(t -> out.append(", task ").append(t.id()).append(' ').append(t.state()));
    String first = firstTrace();
    if (first != null) {
      out.append(" (").append(first.lines().findFirst().orElse("").strip()).append(')');
    }
    return out.toString();
  }

  /** The first failure trace of the connector or a task, or null. */
  public String firstTrace() {
    if (trace != null) {
      return trace;
    }
    return tasks.stream().map(Task::trace).filter(t -> t != null).findFirst().orElse(null);
  }
}
