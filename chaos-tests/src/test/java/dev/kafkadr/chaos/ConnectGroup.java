package dev.kafkadr.chaos;

import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.connect.ConnectRestClient;
import dev.kafkadr.config.connect.ConnectorStatus;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * One Connect group of the sandbox (two workers) and the source connector a scenario faults on it.
 *
 * @param rolePrefix the workers' roles without their number, e.g. {@code connect-}
 * @param url worker {@code n}'s REST URL (1-based); its {@code host:port} is its worker id
 * @param source the source connector's name
 */
record ConnectGroup(String rolePrefix, IntFunction<String> url, String source) {

  /** Workers in each group. */
  static final int WORKERS = 2;

  /** Worker {@code n}'s role, e.g. {@code connect-eos-2}. */
  String role(int n) {
    return rolePrefix + n;
  }

  /** A REST client of worker {@code n}. */
  ConnectRestClient client(int n) {
    return new ConnectRestClient(url.apply(n));
  }

  /** The other worker of the group. */
  static int other(int worker) {
    return worker == 1 ? 2 : 1;
  }

  /**
   * The worker running task 0 of the source, asked of worker {@code askOf}.
   *
   * @throws IllegalStateException when the task is not RUNNING on a worker of the group
   */
  int workerOf(int askOf) {
    ConnectorStatus status = client(askOf).status(source);
    ConnectorStatus.Task task = status.tasks().get(0);
    for (int n = 1; n <= WORKERS; n++) {
      if (url.apply(n).replace("http://", "").equals(task.workerId())
          && "RUNNING".equals(task.state())) {
        return n;
      }
    }
    throw new IllegalStateException(source + " task 0: " + task);
  }

  /** Waits until worker {@code n}'s REST API answers and task 0 of the source runs somewhere. */
  void awaitAnswers(int n) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              client(n).connectors();
              return workerOf(n) > 0;
            });
  }
}
