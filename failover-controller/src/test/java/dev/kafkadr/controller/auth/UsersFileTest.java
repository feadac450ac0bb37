package dev.kafkadr.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.config.auth.PasswordHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

  @TempDir Path dir;

  @Test
  void usersAreReadAgainWhenTheFileChangesAndBadLinesAreNamedWithoutTheirHash() throws Exception {
    Path file = dir.resolve("users.properties");
    String hash = PasswordHash.hash("pw".toCharArray());
    Files.writeString(file, "ada=operator:" + hash + "\nbob=root:" + hash + "\ncy=viewer:plain\n");
    UsersFile users = new UsersFile(file);

    assertThat(users.user("ada")).get().extracting(UsersFile.User::role).isEqualTo("operator");
    assertThat(users.user("bob")).isEmpty();
    assertThat(users.problems())
        .containsExactlyInAnyOrder(
            file + ": user bob: role must be one of " + UsersFile.ROLES,
            file + ": user cy: not a pbkdf2-sha256 hash (bin/kdr hash-password)");
    assertThat(users.user("ada").get().toString()).doesNotContain(hash);

    Files.writeString(file, "eve=viewer:" + hash + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(users.user("ada")).isEmpty();
    assertThat(users.user("eve")).isPresent();
  }
}
