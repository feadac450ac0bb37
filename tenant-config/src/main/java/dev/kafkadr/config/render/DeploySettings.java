package dev.kafkadr.config.render;

import dev.kafkadr.tenant.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One block of the tenants file's {@code deploy} section ({@code deploy.strimzi}, {@code
 * deploy.mskConnect}), read with problems reported at their paths.
 */
final class DeploySettings {

  private final Map<?, ?> values;
  private final String at;
  private final List<Problem> problems;

  DeploySettings(Object block, String at, List<Problem> problems) {
    this.values = block instanceof Map<?, ?> m ? m : Map.of();
    this.at = at;
    this.problems = problems;
  }

  /** The block at {@code key} of this one (empty when absent). */
  DeploySettings block(String key) {
    return new DeploySettings(values.get(key), at + "." + key, problems);
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  /** A required string; null, with a problem saying {@code why} it is needed, when missing. */
  String required(String key, String why) {
    Object v = values.get(key);
    if (v == null || String.valueOf(v).isBlank()) {
      problems.add(new Problem(at + "." + key, "is missing: " + why));
      return null;
    }
    return String.valueOf(v);
  }

  String optional(String key, String otherwise) {
    Object v = values.get(key);
    return v == null ? otherwise : String.valueOf(v);
  }

  int number(String key, int otherwise) {
    Object v = values.get(key);
    if (v == null) {
      return otherwise;
    }
    if (v instanceof Integer i && i > 0) {
      return i;
    }
    problems.add(new Problem(at + "." + key, "\"" + v + "\" must be a positive whole number"));
    return otherwise;
  }

  /** A required non-empty list of strings. */
  List<String> strings(String key, String why) {
    Object v = values.get(key);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> list && !list.isEmpty()) {
      list.forEach(x -> out.add(String.valueOf(x)));
    } else {
      problems.add(
          new Problem(at + "." + key, (v == null ? "is missing: " : "must be a list: ") + why));
    }
    return out;
  }
}
