package dev.kafkadr.sandbox.process;

import org.apache.kafka.connect.mirror.MirrorMaker;

/**
 * Entry point of a MirrorMaker 2 dedicated-mode child JVM: Apache Kafka's own {@code
 * connect-mirror-maker}, which ends when the process that started it is gone.
 *
 * <p>Arguments: those of {@code connect-mirror-maker.sh}, e.g. {@code mm2.properties --clusters
 * secondary}.
 */
public final class MirrorMakerMain {

  private MirrorMakerMain() {}

  /** Runs MirrorMaker 2. */
  public static void main(String[] args) throws Exception {
    ParentWatchdog.install();
    MirrorMaker.main(args);
  }
}
