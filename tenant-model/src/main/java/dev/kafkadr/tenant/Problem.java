package dev.kafkadr.tenant;

/**
 * One thing wrong with a configuration, at a path such as {@code tenants[2].topics.include[0]} or a
 * connector key such as {@code kdr.tenant.topics.include}.
 */
public record Problem(String path, String message) {

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
