package dev.kafkadr.testkit.prometheus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scrapes a Prometheus endpoint (the controller's {@code /q/metrics}) every {@code every} and keeps
 * the samples of chosen metrics with the wall-clock time of each scrape, so that a test can replay
 * this run's series through the shipped alert rules ({@link Promtool}).
 */
public final class ScrapeRecorder implements AutoCloseable {

  private final URI url;
  private final String authorization;
  private final List<String> metrics;
  private final Duration every;
  private final HttpClient http;

  /** Per series (name and labels as scraped), wall-clock millis to value. */
  private final Map<String, TreeMap<Long, Double>> samples = new ConcurrentHashMap<>();

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile String lastError;

  /**
   * Starts scraping {@code url} (plain HTTP allowed: a controller in the test's JVM) as {@code
   * user} (HTTP basic) for the series of {@code metrics}.
   */
  public ScrapeRecorder(
      URI url, String user, String password, List<String> metrics, Duration every) {
    this(url, dev.kafkadr.client.ControllerTls.plainHttpAllowed(), user, password, metrics, every);
  }

  /** As above, the controller's certificate checked with {@code tls}. */
  public ScrapeRecorder(
      URI url,
      dev.kafkadr.client.ControllerTls tls,
      String user,
      String password,
      List<String> metrics,
      Duration every) {
    this.url = tls.check(url);
    this.http = tls.httpClient().build();
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.metrics = List.copyOf(metrics);
    this.every = every;
    this.thread = new Thread(this::run, "scrape-recorder");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running.get()) {
      long at = System.currentTimeMillis();
      try {
        String body =
            http.send(
                    HttpRequest.newBuilder(url)
                        .header("Authorization", authorization)
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        for (String line : body.split("\n")) {
          for (String metric : metrics) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
              int space = line.lastIndexOf(' ');
              samples
                  .computeIfAbsent(line.substring(0, space), k -> new TreeMap<>())
                  .put(at, Double.parseDouble(line.substring(space + 1)));
            }
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        lastError = e.toString();
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * The series named {@code series} (as scraped: name and labels) on a grid of one value per second
   * from {@code fromMillis} for {@code seconds}: at each second, the newest sample at or before it,
   * or null (missing) before the first.
   *
   * @param shiftSeconds subtracted from every value (to move Unix timestamps onto the simulated
   *     clock of a rule test, which starts at 0)
   */
  public List<Double> grid(String series, long fromMillis, int seconds, double shiftSeconds) {
    TreeMap<Long, Double> s = samples.getOrDefault(series, new TreeMap<>());
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < seconds; i++) {
      var e = s.floorEntry(fromMillis + i * 1000L);
      out.add(e == null ? null : e.getValue() - shiftSeconds);
    }
    return out;
  }

  /** Every series scraped so far (name and labels). */
  public List<String> series() {
    return List.copyOf(samples.keySet());
  }

  /** The last scrape error, or null. */
  public String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    running.set(false);
    thread.interrupt();
  }
}
