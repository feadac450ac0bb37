package dev.kafkadr.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.kafkadr.tenant.Problem;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One scheduled drill of a tenant ({@code drills:} in its entry): its kind, a cron expression in
 * Quartz's syntax (seconds first, as Quarkus's scheduler reads it: {@code "0 0 3 * * ?"} is 03:00
 * every day), the time zone it is read in, and an optional window (local times, {@code
 * "02:00-05:00"}, wrapping past midnight when the end is earlier) outside which an occurrence is
 * skipped instead of run.
 *
 * @param tenant the tenant's id
 * @param index its place in the tenant's {@code drills} list; {@link #id()} names it
 * @param kind {@code verify} (reads only) or {@code switchover} (moves the tenant and back, within
 *     its RTO; see runbooks/drills.md)
 * @param cron the Quartz cron expression as written
 * @param zone the zone the expression and the window are read in (UTC by default)
 * @param windowFrom the window's start, or null for none
 * @param windowTo the window's end (exclusive), or null for none
 */
public record DrillSchedule(
    String tenant,
    int index,
    String kind,
    String cron,
    ZoneId zone,
    LocalTime windowFrom,
    LocalTime windowTo) {

  private static final Set<String> KEYS = Set.of("kind", "schedule", "timeZone", "window");
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  /** The schedule's id: {@code <tenant>#<index>}. */
  public String id() {
    return tenant + "#" + index;
  }

  /** Whether {@code at} falls in the window (always, without one). */
  public boolean inWindow(Instant at) {
    if (windowFrom == null) {
      return true;
    }
    LocalTime t = at.atZone(zone).toLocalTime();
    return windowFrom.isBefore(windowTo)
        ? !t.isBefore(windowFrom) && t.isBefore(windowTo)
        : !t.isBefore(windowFrom) || t.isBefore(windowTo);
  }

  /** The window as written, with its zone, for messages; "always" without one. */
  public String window() {
    return windowFrom == null ? "always" : windowFrom + "-" + windowTo + " " + zone;
  }

  /** The first occurrence after {@code after}, if the expression has one. */
  public Optional<Instant> next(Instant after) {
    return ExecutionTime.forCron(QUARTZ.parse(cron))
        .nextExecution(after.atZone(zone))
        .map(ZonedDateTime::toInstant);
  }

  /** The newest occurrence before {@code before}, if any. */
  public Optional<Instant> last(Instant before) {
    return ExecutionTime.forCron(QUARTZ.parse(cron))
        .lastExecution(before.atZone(zone))
        .map(ZonedDateTime::toInstant);
  }

  /**
   * Reads a tenant's {@code drills} list, adding a problem at its path for anything wrong: a kind
   * other than verify or switchover, a cron expression Quartz's syntax refuses (with the parser's
   * reason), an unknown time zone, a window that is not {@code HH:mm-HH:mm}, an unknown key.
   */
  static List<DrillSchedule> check(Object node, String at, String tenant, List<Problem> problems) {
    List<DrillSchedule> out = new ArrayList<>();
    if (!(node instanceof List<?> list)) {
      problems.add(new Problem(at, "must be a list of {kind, schedule, timeZone, window}"));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String here = at + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        problems.add(new Problem(here, "must be a mapping with kind and schedule"));
        continue;
      }
      map.keySet().stream()
          .filter(k -> !KEYS.contains(String.valueOf(k)))
          .forEach(
              k ->
                  problems.add(
                      new Problem(
                          here + "." + k,
                          "unknown key; allowed: " + KEYS.stream().sorted().toList())));
      int before = problems.size();
      String kind = map.get("kind") == null ? "verify" : String.valueOf(map.get("kind"));
      if (!"verify".equals(kind) && !"switchover".equals(kind)) {
        problems.add(
            new Problem(here + ".kind", "\"" + kind + "\": a drill is verify or switchover"));
      }
      String cron = map.get("schedule") == null ? null : String.valueOf(map.get("schedule"));
      if (cron == null) {
        problems.add(new Problem(here + ".schedule", "is required (a Quartz cron expression)"));
      } else {
        try {
          QUARTZ.parse(cron).validate();
        } catch (IllegalArgumentException e) {
          problems.add(
              new Problem(
                  here + ".schedule",
                  "\"" + cron + "\" is not a Quartz cron expression: " + e.getMessage()));
        }
      }
      ZoneId zone = ZoneId.of("UTC");
      if (map.get("timeZone") != null) {
        try {
          zone = ZoneId.of(String.valueOf(map.get("timeZone")));
        } catch (DateTimeException e) {
          problems.add(
              new Problem(
                  here + ".timeZone", "\"" + map.get("timeZone") + "\" is not a time zone id"));
        }
      }
      LocalTime[] window = window(map.get("window"), here + ".window", problems);
      if (problems.size() == before) {
        out.add(new DrillSchedule(tenant, i, kind, cron, zone, window[0], window[1]));
      }
    }
    return out;
  }

  private static LocalTime[] window(Object node, String at, List<Problem> problems) {
    if (node == null) {
      return new LocalTime[2];
    }
    String[] parts = String.valueOf(node).split("-");
    try {
      if (parts.length == 2) {
        LocalTime from = LocalTime.parse(parts[0].strip());
        LocalTime to = LocalTime.parse(parts[1].strip());
        if (!from.equals(to)) {
          return new LocalTime[] {from, to};
        }
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    problems.add(
        new Problem(at, "\"" + node + "\" must be HH:mm-HH:mm, two different local times"));
    return new LocalTime[2];
  }
}
