package dev.kafkadr.tenant;

import java.util.Locale;
import java.util.Optional;

/** How a tenant's topics are named on the target cluster. */
public enum NamingMode {
  /** {@code <source alias>.<topic>}, MirrorMaker 2's default; cycles are detected by name. */
  PREFIXED,
  /** The source name unchanged; cycles are prevented by provenance headers. */
  IDENTICAL;

  /** The mode named {@code text} (case-insensitive), or empty. */
  public static Optional<NamingMode> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (NamingMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text.trim())) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  /** The lower-case name used in configuration files. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
