package dev.kafkadr.controller;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Checks of the values of {@link ControllerConfig} that its types cannot express. */
final class ConfigCheck {

  private ConfigCheck() {}

  /** Every problem, each naming its key; empty when the configuration is usable. */
  static List<String> problems(ControllerConfig config) {
    List<String> problems = new ArrayList<>();
    if (!Files.isReadable(config.tenantsFile())) {
      problems.add("kdr.tenants-file: " + config.tenantsFile() + " cannot be read");
    }
    if (config.scan().interval().isNegative() || config.scan().interval().isZero()) {
      problems.add("kdr.scan.interval: must be positive, was " + config.scan().interval());
    }
    double fraction = config.scan().atRiskFraction();
    if (!(fraction > 0 && fraction <= 1)) {
      problems.add("kdr.scan.at-risk-fraction: must be above 0 and at most 1, was " + fraction);
    }
    if (config.scan().tailWindow() < 1 || config.scan().tailWindow() > 100_000) {
      problems.add(
          "kdr.scan.tail-window: must be between 1 and 100000, was " + config.scan().tailWindow());
    }
    Duration read = config.scan().readTimeout();
    if (read.toMillis() < 100 || read.compareTo(Duration.ofMinutes(5)) > 0) {
      problems.add("kdr.scan.read-timeout: must be between 100ms and 5m, was " + read);
    }
    config
        .auth()
        .usersFile()
        .filter(f -> !Files.isReadable(f))
        .ifPresent(f -> problems.add("kdr.auth.users-file: " + f + " cannot be read"));
    Duration drain = config.workflow().drainTimeout();
    if (drain.isNegative() || drain.isZero()) {
      problems.add("kdr.workflow.drain-timeout: must be positive, was " + drain);
    }
    if (config.workflow().dnsTimeout().isNegative()) {
      problems.add(
          "kdr.workflow.dns-timeout: must not be negative, was " + config.workflow().dnsTimeout());
    }
    if (config.workflow().settleTimeout().isNegative()) {
      problems.add(
          "kdr.workflow.settle-timeout: must not be negative, was "
              + config.workflow().settleTimeout());
    }
    config
        .connect()
        .forEach(
            (alias, url) -> {
              if (!url.startsWith("http://") && !url.startsWith("https://")) {
                problems.add(
                    "kdr.connect." + alias + ": \"" + url + "\" is not an http:// or https:// URL");
              }
            });
    try {
      config.connectEndpoints();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    return problems;
  }
}
