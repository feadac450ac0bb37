package dev.kafkadr.controller.auth;

import dev.kafkadr.config.auth.PasswordHash;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The controller's users: a properties file, one line per user, {@code name=grants:hash}: the
 * user's {@link Grants} (a role, {@code viewer}, {@code operator} or {@code client}, for every
 * tenant, or roles scoped to tenants such as {@code operator@payments-dev viewer@payments-prod})
 * and a {@link PasswordHash}. Read again when it changes, so users are added and removed without a
 * restart. A malformed line is skipped and named in the log (never its hash).
 */
public final class UsersFile {

  /**
   * One user.
   *
   * @param name the user name
   * @param grants its roles, each for every tenant or for some
   * @param hash its password hash
   */
  public record User(String name, Grants grants, String hash) {
    @Override
    public String toString() {
      return "User[" + name + ", " + grants + ", hash hidden]";
    }
  }

  private final Path file;
  private Map<String, User> users = Map.of();
  private List<String> problems = List.of();
  private FileTime loaded;

  /** Users from {@code file}. */
  public UsersFile(Path file) {
    this.file = file;
  }

  /** The user named {@code name}, from the file as it is now. */
  public synchronized Optional<User> user(String name) {
    reloadIfChanged();
    return Optional.ofNullable(users.get(name));
  }

  /** What was wrong with the file at its last reading, line by line. */
  public synchronized List<String> problems() {
    reloadIfChanged();
    return problems;
  }

  private void reloadIfChanged() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (modified.equals(loaded)) {
        return;
      }
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      Map<String, User> read = new LinkedHashMap<>();
      List<String> wrong = new ArrayList<>();
      for (String name : p.stringPropertyNames()) {
        String value = p.getProperty(name);
        int colon = value.indexOf(':');
        String hash = colon < 0 ? "" : value.substring(colon + 1).trim();
        Grants grants;
        try {
          grants = Grants.parse(colon < 0 ? value : value.substring(0, colon));
        } catch (IllegalArgumentException e) {
          wrong.add(file + ": user " + name + ": " + e.getMessage());
          continue;
        }
        if (!PasswordHash.isHash(hash)) {
          wrong.add(file + ": user " + name + ": not a pbkdf2-sha256 hash (bin/kdr hash-password)");
        } else {
          read.put(name, new User(name, grants, hash));
        }
      }
      users = read;
      problems = wrong;
      loaded = modified;
    } catch (IOException e) {
      users = Map.of();
      problems = List.of(file + " cannot be read: " + e.getMessage());
      loaded = null;
    }
  }
}
