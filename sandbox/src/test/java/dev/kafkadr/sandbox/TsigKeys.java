package dev.kafkadr.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the secret out of a BIND key file, for tests that sign DNS updates. */
final class TsigKeys {

  private static final Pattern SECRET = Pattern.compile("secret\\s+\"([^\"]+)\"");

  private TsigKeys() {}

  static String secret(Path keyFile) throws IOException {
    Matcher m = SECRET.matcher(Files.readString(keyFile));
    if (!m.find()) {
      throw new IllegalStateException("no secret in " + keyFile);
    }
    return m.group(1);
  }
}
