package dev.kafkadr.tenant;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Parses durations written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601. */
public final class Durations {

  private Durations() {}

  /** The duration {@code text} denotes, or empty when it is not one. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
      }
      if (t.matches("\\d+ms")) {
        return Optional.of(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
      }
      if (t.matches("\\d+[smh]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return Optional.of(
            switch (t.charAt(t.length() - 1)) {
              case 's' -> Duration.ofSeconds(n);
              case 'm' -> Duration.ofMinutes(n);
              default -> Duration.ofHours(n);
            });
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
