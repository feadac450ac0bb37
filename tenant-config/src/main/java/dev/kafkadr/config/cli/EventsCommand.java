package dev.kafkadr.config.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdr events}: a tenant's events from the failover controller as JSON lines on standard
 * output, from a cursor on; with {@code --follow}, new events as they come, for a team's own log
 * shipper. With {@code --cursor-file} the position survives restarts of the command: read at start,
 * replaced (atomically) after each page written.
 */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "A tenant's events (RPO status, gaps, replication, workflows, drills) as JSON lines.")
final class EventsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ControllerOptions controller;

  @Option(names = "--tenant", required = true, description = "The tenant.")
  String tenant;

  @Option(names = "--after", description = "Start after this cursor (an event's \"cursor\").")
  String after;

  @Option(
      names = "--cursor-file",
      description = "Read the cursor from this file at start and keep it there after each page.")
  Path cursorFile;

  @Option(names = "--follow", description = "Keep reading new events until interrupted.")
  boolean follow;

  @Option(
      names = "--interval-seconds",
      defaultValue = "2",
      description = "With --follow, seconds between reads (default ${DEFAULT-VALUE}).")
  int intervalSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String cursor = after;
    if (cursor == null && cursorFile != null && Files.exists(cursorFile)) {
      cursor = Files.readString(cursorFile).strip();
    }
    int failures = 0;
    while (true) {
      String path =
          "/api/tenants/"
              + URLEncoder.encode(tenant, StandardCharsets.UTF_8)
              + "/events"
              + (cursor == null || cursor.isBlank()
                  ? ""
                  : "?after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      HttpResponse<String> r;
      try {
        r = controller.send("GET", path, null);
      } catch (IOException e) {
        if (!follow) {
          err.println(
              "kdr: the controller at " + controller.uri(path) + " cannot be reached: " + e);
          return 1;
        }
        failures++;
        err.println("kdr: the controller cannot be reached (" + e + "); trying again");
        Thread.sleep(Math.min(30, intervalSeconds * (1L << Math.min(failures, 4))) * 1000L);
        continue;
      }
      if (r.statusCode() != 200) {
        err.println("kdr: the controller answered " + ControllerOptions.refusal(r));
        return r.statusCode() == 400 || r.statusCode() == 404 ? 2 : 1;
      }
      failures = 0;
      out.print(r.body());
      out.flush();
      String next = r.headers().firstValue("Kdr-Next-Cursor").orElse(cursor);
      if (cursorFile != null && next != null && !next.equals(cursor)) {
        Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
        Files.writeString(tmp, next + "\n");
        Files.move(
            tmp, cursorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      cursor = next;
      if (!follow) {
        return 0;
      }
      if (r.body().isEmpty()) {
        Thread.sleep(intervalSeconds * 1000L);
      }
    }
  }
}
