package dev.kafkadr.sandbox.process;

import org.apache.kafka.connect.cli.ConnectDistributed;

/**
 * Entry point of a Connect worker child JVM: Apache Kafka's own distributed worker, which ends when
 * the sandbox that started it is gone.
 *
 * <p>Arguments: {@code <worker.properties>}.
 */
public final class ConnectWorkerMain {

  private ConnectWorkerMain() {}

  /** Runs the worker. */
  public static void main(String[] args) {
    ParentWatchdog.install();
    ConnectDistributed.main(args);
  }
}
