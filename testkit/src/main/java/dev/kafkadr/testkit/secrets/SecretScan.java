package dev.kafkadr.testkit.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Looks for a secret in every file under a directory (process logs, generated configuration, the
 * brokers' data, which holds Connect's config topic), byte for byte.
 */
public final class SecretScan {

  private SecretScan() {}

  /**
   * The regular files under {@code dir} that hold {@code secret}, other than those {@code allowed}
   * accepts (the secret's own file); files that vanish while being read (a broker's temporary ones)
   * are skipped.
   *
   * @return the files read, and those holding the secret
   */
  public static Result scan(Path dir, String secret, Predicate<Path> allowed) {
    List<Path> read = new ArrayList<>();
    List<Path> holding = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        if (allowed.test(f)) {
          continue;
        }
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException gone) {
          continue;
        }
        read.add(f);
        if (new String(bytes, StandardCharsets.ISO_8859_1).contains(secret)) {
          holding.add(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scan " + dir, e);
    }
    return new Result(read, holding);
  }

  /**
   * What a scan found.
   *
   * @param read every file read
   * @param holding the files that hold the secret
   */
  public record Result(List<Path> read, List<Path> holding) {}
}
