package dev.kafkadr.sandbox.cli;

import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.SandboxOptions;
import dev.kafkadr.sandbox.StackDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options naming which sandbox a command acts on. */
public final class StackOptions {

  @Option(
      names = "--name",
      defaultValue = "default",
      description = "Sandbox name (its work directory under --root). Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(
      names = "--root",
      description =
          "Parent of sandbox work directories. Default: $KDR_SANDBOX_ROOT or <tmp>/kafka-dr-sandbox.")
  Path root;

  /** The parent directory of work directories. */
  Path root() {
    return root != null ? root : SandboxOptions.defaultRoot();
  }

  /** This sandbox's work directory. */
  Path workDir() {
    return root().resolve(name).toAbsolutePath();
  }

  /** The running sandbox's description, or a clear error when there is none. */
  StackDescription description() {
    Path file = workDir().resolve(StackDescription.FILE_NAME);
    if (!Files.exists(file)) {
      throw new SandboxException(
          "no sandbox '" + name + "' is running (no " + file + "); start one with: kdr-sandbox up");
    }
    return StackDescription.read(file);
  }
}
