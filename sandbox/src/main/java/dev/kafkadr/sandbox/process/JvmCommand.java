package dev.kafkadr.sandbox.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command line of a child JVM: the running Java, this module's own runtime classpath, a
 * heap limit, a log configuration and the main class.
 */
public final class JvmCommand {

  private static final String CLASSPATH_RESOURCE = "/dev/kafkadr/sandbox/child.classpath";

  private JvmCommand() {}

  /**
   * The command that runs {@code mainClass} with {@code args} in a new JVM.
   *
   * @param marker a string placed on the command line so that a later run can tell, from {@code
   *     /proc/PID/cmdline}, that a PID still belongs to this sandbox
   */
  public static List<String> of(
      String role,
      String marker,
      String heap,
      Path log4jConfig,
      String mainClass,
      List<String> jvmOptions,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms64m");
    command.add("-Xmx" + heap);
    command.add("-XX:+UseG1GC");
    command.add("-XX:MaxGCPauseMillis=20");
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("-Djava.awt.headless=true");
    command.add("-Dkdr.role=" + role);
    command.add("-Dkdr.sandbox=" + marker);
    command.add("-Dlog4j2.configurationFile=" + log4jConfig);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath());
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** This module's classes followed by its runtime dependencies, as recorded at build time. */
  static String classpath() {
    try (InputStream in = JvmCommand.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource "
                + CLASSPATH_RESOURCE
                + " is missing: build the sandbox module with Maven (mvn -pl sandbox -am package)");
      }
      String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      Path self =
          Path.of(JvmCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return self + java.io.File.pathSeparator + dependencies;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the sandbox classes", e);
    }
  }
}
