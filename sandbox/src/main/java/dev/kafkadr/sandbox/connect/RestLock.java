package dev.kafkadr.sandbox.connect;

import dev.kafkadr.config.connect.ConnectRestCredentials;
import dev.kafkadr.sandbox.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The files that lock a Connect group's REST API with Connect's {@code
 * BasicAuthSecurityRestExtension}: a JAAS configuration whose {@code KafkaConnect} entry names
 * Connect's {@code PropertyFileLoginModule}, and the property file it reads, {@code user=password}
 * in plain text as that module requires, so both are mode 600. Requests between the workers that
 * Connect signs with its session key ({@code POST /connectors/{name}/tasks}, {@code PUT
 * /connectors/{name}/fence}) pass without credentials; a request a worker forwards to the leader
 * carries the caller's.
 */
final class RestLock {

  /** The REST extension's class. */
  static final String EXTENSION =
      "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension";

  private RestLock() {}

  /** Writes the group's files into {@code dir} and returns the JAAS configuration's path. */
  static Path write(Path dir, ConnectWorkerProcesses.Group group, ConnectRestCredentials user) {
    try {
      Files.createDirectories(dir);
      Path users = dir.resolve(group.groupId() + "-rest-users.properties");
      Path jaas = dir.resolve(group.groupId() + "-rest.jaas");
      secret(users, user.user() + "=" + user.password() + "\n");
      secret(
          jaas,
          "KafkaConnect {\n"
              + "  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule"
              + " required\n"
              + "  file=\""
              + users.toAbsolutePath()
              + "\";\n"
              + "};\n");
      return jaas;
    } catch (IOException e) {
      throw new SandboxException("cannot write the REST lock of " + group.groupId() + ": " + e, e);
    }
  }

  private static void secret(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
