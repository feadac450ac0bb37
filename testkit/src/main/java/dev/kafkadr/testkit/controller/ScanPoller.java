package dev.kafkadr.testkit.controller;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a tenant's lag from the controller's API every 100 ms and keeps each scan once (by its
 * {@code measuredAt}): every figure the controller served, to be judged against the truth.
 */
public final class ScanPoller implements AutoCloseable {

  /**
   * One scan of the tenant's first flow as the API served it.
   *
   * @param measuredAt the instant its figures hold for
   * @param lagRecords records at risk reported, -1 when unknown
   * @param lagSeconds age of the oldest reported, -1 when unknown
   * @param status its RPO status
   * @param scanSeconds how long the scan took
   * @param source the flow's source cluster
   */
  public record Served(
      Instant measuredAt,
      long lagRecords,
      double lagSeconds,
      String status,
      double scanSeconds,
      String source) {}

  private final ControllerApi api;
  private final String tenant;
  private final List<Served> served = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /** Starts polling {@code tenant}'s lag through {@code api}. */
  public ScanPoller(ControllerApi api, String tenant) {
    this.api = api;
    this.tenant = tenant;
    this.thread = new Thread(this::poll, "scan-poller");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    Instant last = Instant.EPOCH;
    while (running.get()) {
      try {
        JsonNode t = api.get("/api/tenants/" + tenant + "/lag");
        JsonNode f = t.path("flows").path(0);
        if (f.hasNonNull("measuredAt")) {
          Instant at = Instant.parse(f.path("measuredAt").asText());
          if (at.isAfter(last)) {
            last = at;
            served.add(
                new Served(
                    at,
                    f.path("lagRecords").asLong(-1),
                    f.path("lagSeconds").asDouble(-1),
                    f.path("status").asText(),
                    t.path("scanSeconds").asDouble(-1),
                    f.path("source").asText()));
          }
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // the controller is busy or restarting: the next poll tells
      }
    }
  }

  /** Every scan served so far, in order. */
  public List<Served> served() {
    return new ArrayList<>(served);
  }

  @Override
  public void close() {
    running.set(false);
    thread.interrupt();
  }
}
