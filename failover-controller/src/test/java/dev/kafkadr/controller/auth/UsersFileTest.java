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

    assertThat(users.user("ada").get().grants().hasEverywhere("operator")).isTrue();
    assertThat(users.user("bob")).isEmpty();
    assertThat(users.problems())
        .containsExactlyInAnyOrder(
            file + ": user bob: \"root\": role must be one of [client, operator, viewer]",
            file + ": user cy: not a pbkdf2-sha256 hash (bin/kdr hash-password)");
    assertThat(users.user("ada").get().toString()).doesNotContain(hash);

    Files.writeString(file, "eve=viewer:" + hash + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(users.user("ada")).isEmpty();
    assertThat(users.user("eve")).isPresent();
  }

  @Test
  void aLineMayScopeRolesToTenantsAndAWrongScopeIsNamed() throws Exception {
    Path file = dir.resolve("users.properties");
    String hash = PasswordHash.hash("pw".toCharArray());
    Files.writeString(
        file,
        "tia=operator@payments-dev viewer@payments-prod:"
            + hash
            + "\numa=viewer@Payments:"
            + hash
            + "\n");
    UsersFile users = new UsersFile(file);

    Grants tia = users.user("tia").get().grants();
    assertThat(tia.has("operator", "payments-dev")).isTrue();
    assertThat(tia.has("operator", "payments-prod")).isFalse();
    assertThat(tia.reads("payments-prod")).isTrue();
    assertThat(tia.reads("orders")).isFalse();
    assertThat(users.user("uma")).isEmpty();
    assertThat(users.problems())
        .containsExactly(
            file
                + ": user uma: \"viewer@Payments\": after '@' comes '*' or tenant ids separated"
                + " by commas, not \"Payments\"");
  }
}
