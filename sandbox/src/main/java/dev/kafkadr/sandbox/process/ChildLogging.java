package dev.kafkadr.sandbox.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The log4j2 configuration shared by the child JVMs: INFO to stdout, minus the config dumps. */
public final class ChildLogging {

  private ChildLogging() {}

  /** Writes the configuration into {@code dir} and returns its path. */
  public static Path write(Path dir) {
    Path file = dir.resolve("log4j2-children.properties");
    String text =
        String.join(
            "\n",
            "status = warn",
            "appender.out.type = Console",
            "appender.out.name = OUT",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = [%d{ISO8601}] %p [%t] %c - %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.out.ref = OUT",
            quiet("configs", "org.apache.kafka.common.config.AbstractConfig"),
            quiet("producerconfig", "org.apache.kafka.clients.producer.ProducerConfig"),
            quiet("consumerconfig", "org.apache.kafka.clients.consumer.ConsumerConfig"),
            quiet("adminconfig", "org.apache.kafka.clients.admin.AdminClientConfig"),
            quiet("appinfo", "org.apache.kafka.common.utils.AppInfoParser"),
            quiet("logcleaner", "kafka.log.LogCleaner"),
            quiet("unifiedlog", "org.apache.kafka.storage.internals.log"),
            quiet("reflections", "org.reflections"),
            "");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String quiet(String id, String logger) {
    return "logger." + id + ".name = " + logger + "\nlogger." + id + ".level = warn";
  }
}
