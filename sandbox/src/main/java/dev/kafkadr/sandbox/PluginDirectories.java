package dev.kafkadr.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Finds kafka-dr's built Connect plugin directory, for the demo and the benchmark. */
public final class PluginDirectories {

  private PluginDirectories() {}

  /**
   * The plugin directory the connect-plugins build leaves under {@code
   * <root>/connect-plugins/target/*-plugin}, which holds one plugin: {@code
   * kafka-dr-connect-plugins}.
   *
   * @throws SandboxException saying how to build it when it is missing
   */
  public static Path inBuildTree(Path root) {
    Path target = root.resolve("connect-plugins").resolve("target");
    if (Files.isDirectory(target)) {
      try (Stream<Path> dirs = Files.list(target)) {
        var found =
            dirs.filter(d -> d.getFileName().toString().endsWith("-plugin") && Files.isDirectory(d))
                .findFirst();
        if (found.isPresent()) {
          return found.get().toAbsolutePath();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + target, e);
      }
    }
    throw new SandboxException(
        "no kafka-dr plugin directory under "
            + target.toAbsolutePath()
            + "; build it with: mvn -pl connect-plugins -am package -DskipTests");
  }
}
