package dev.kafkadr.controller.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a Prometheus text exposition (format 0.0.4, as the controller's registry writes it) down to
 * one tenant's series: the samples whose {@code tenant} label equals the tenant, each family's
 * {@code # HELP} and {@code # TYPE} lines only when one of its samples is kept. Samples without a
 * {@code tenant} label (the JVM's, the controller's own) are never kept.
 */
public final class TenantSeries {

  private TenantSeries() {}

  /**
   * The samples of {@code exposition} labelled {@code tenant="<tenant>"}, with their families'
   * comment lines; an empty string when there are none.
   *
   * @param exposition the whole exposition, lines ending in '\n'
   * @param tenant the tenant id to keep
   * @return the cut exposition in the same format
   */
  public static String of(String exposition, String tenant) {
    StringBuilder out = new StringBuilder();
    List<String> comments = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#")) {
        if (line.startsWith("# HELP ")) {
          comments.clear();
        }
        comments.add(line);
        continue;
      }
      if (line.isBlank() || !tenant.equals(label(line, "tenant"))) {
        continue;
      }
      comments.forEach(c -> out.append(c).append('\n'));
      comments.clear();
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /**
   * The value of label {@code name} in the sample {@code line}, unescaped; null when the sample has
   * no such label or its label set cannot be read.
   */
  static String label(String line, String name) {
    int open = line.indexOf('{');
    int space = line.indexOf(' ');
    if (open < 0 || (space >= 0 && space < open)) {
      return null;
    }
    int i = open + 1;
    while (i < line.length() && line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        return null;
      }
      String key = line.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      if (j >= line.length()) {
        return null;
      }
      if (key.equals(name)) {
        return value.toString();
      }
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
    return null;
  }
}
