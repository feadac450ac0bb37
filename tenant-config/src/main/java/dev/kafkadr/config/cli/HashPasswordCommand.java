package dev.kafkadr.config.cli;

import dev.kafkadr.config.auth.PasswordHash;
import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kdr hash-password}: the hash of a password for the controller's users file; the password
 * is read from the terminal without echo, or from standard input, never from the command line.
 */
@Command(
    name = "hash-password",
    mixinStandardHelpOptions = true,
    description = "Print the hash of a password for the controller's users file.")
final class HashPasswordCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Console console = System.console();
    char[] password =
        console != null
            ? console.readPassword("password: ")
            : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip().toCharArray();
    if (password == null || password.length == 0) {
      spec.commandLine().getErr().println("kdr: no password given");
      return 2;
    }
    spec.commandLine().getOut().println(PasswordHash.hash(password));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
