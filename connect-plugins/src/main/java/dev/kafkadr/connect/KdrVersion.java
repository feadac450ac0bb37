package dev.kafkadr.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The kafka-dr version, from the build, that every plugin reports as its {@code version()}. */
public final class KdrVersion {

  private static final String VERSION = load();

  private KdrVersion() {}

  /** The version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = KdrVersion.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
