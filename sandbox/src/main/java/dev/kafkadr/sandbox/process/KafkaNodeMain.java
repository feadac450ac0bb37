package dev.kafkadr.sandbox.process;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Entry point of a broker child JVM: formats the KRaft log directory on first start, then runs
 * Apache Kafka's own {@code kafka.Kafka} server (combined broker and controller).
 *
 * <p>Arguments: {@code <server.properties> <cluster-id>}. A restart after a kill finds the
 * directory formatted and keeps its data, as a real broker would.
 */
public final class KafkaNodeMain {

  private KafkaNodeMain() {}

  /** Runs the node. */
  public static void main(String[] args) throws Exception {
    ParentWatchdog.install();
    Path config = Path.of(args[0]);
    String clusterId = args[1];
    Properties props = new Properties();
    try (InputStream in = new FileInputStream(config.toFile())) {
      props.load(in);
    }
    Path logDir = Path.of(props.getProperty("log.dirs"));
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(props, logDir, clusterId);
    }
    kafka.Kafka.main(new String[] {config.toString()});
  }

  private static void format(Properties props, Path logDir, String clusterId) throws Exception {
    Files.createDirectories(logDir);
    Formatter formatter =
        new Formatter()
            .setNodeId(Integer.parseInt(props.getProperty("node.id")))
            .setClusterId(clusterId)
            .setDirectories(List.of(logDir.toString()))
            .setMetadataLogDirectory(logDir.toString())
            .setControllerListenerName(props.getProperty("controller.listener.names"))
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
    String scram = props.getProperty("kdr.format.scram");
    if (scram != null && !scram.isBlank()) {
      formatter.setScramArguments(List.of(scram.split(";")));
    }
    formatter.run();
  }
}
