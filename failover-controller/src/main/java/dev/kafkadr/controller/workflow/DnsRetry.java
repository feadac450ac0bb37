package dev.kafkadr.controller.workflow;

import dev.kafkadr.controller.traffic.DnsSwitchException;
import io.smallrye.faulttolerance.api.Guard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A workflow's DNS change, tried again while the DNS provider cannot be reached or is busy ({@link
 * DnsSwitchException#transientFailure()}, a refused TSIG key among them): 1 s apart, doubling to 5
 * s, for up to {@code kdr.workflow.dns-timeout}. Another refusal (a name outside the zone, another
 * switch came first) fails at once, as does anything else (a lost leader lease). Each attempt reads
 * the record again and makes its change conditional on what it read, so an attempt whose answer was
 * lost after its change was made finds the record switched and does not switch it twice. The
 * retries are SmallRye Fault Tolerance's ({@link Guard}), as Quarkus applications retry.
 */
final class DnsRetry {

  /** How long a refused TSIG key is tried again (read anew each time) before the step fails. */
  static final Duration KEY_REFUSED_FOR = Duration.ofSeconds(10);

  private DnsRetry() {}

  /**
   * Whether a failed attempt is tried again, {@code elapsed} after the first one began: a failure
   * that may pass later ({@link DnsSwitchException#transientFailure()}), a refused TSIG key only
   * within {@link #KEY_REFUSED_FOR} (a rotation's window lasts milliseconds, not minutes).
   */
  static boolean tryAgain(Throwable failure, Duration elapsed) {
    return failure instanceof DnsSwitchException d
        && d.transientFailure()
        && !(d.keyRejected() && elapsed.compareTo(KEY_REFUSED_FOR) > 0);
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for good, or {@code timeout} has passed since the
   * first attempt (one more attempt may then still be running).
   *
   * @param progress receives one line before each new attempt, naming why the last one failed
   * @param attempts receives the number of attempts made, success or not
   * @throws DnsSwitchException the last failure; after retries, saying how many and for how long
   */
  static <T> T run(
      Duration timeout,
      Consumer<String> progress,
      AtomicInteger attempts,
      Class<T> type,
      Supplier<T> attempt) {
    attempts.set(1);
    if (timeout.toMillis() <= 1_000) {
      return attempt.get(); // no room for a retry 1 s apart
    }
    long started = System.nanoTime();
    Guard guard =
        Guard.create()
            .withDescription("DNS change")
            .withRetry()
            .maxRetries(-1)
            .delay(1, ChronoUnit.SECONDS)
            .withExponentialBackoff()
            .factor(2)
            .maxDelay(5, ChronoUnit.SECONDS)
            .done()
            .maxDuration(timeout.toMillis(), ChronoUnit.MILLIS)
            .jitter(0, ChronoUnit.MILLIS)
            .whenException(e -> tryAgain(e, Duration.ofNanos(System.nanoTime() - started)))
            .beforeRetry(
                (Throwable e) ->
                    progress.accept(
                        String.format(
                            "DNS attempt %d failed after %.1f s in all: %s; trying again until"
                                + " %d s have passed (kdr.workflow.dns-timeout)",
                            attempts.getAndIncrement(),
                            (System.nanoTime() - started) / 1e9,
                            e.getMessage(),
                            timeout.toSeconds())))
            .done()
            .build();
    try {
      return guard.get(attempt, type);
    } catch (DnsSwitchException e) {
      if (!e.transientFailure()) {
        throw e;
      }
      if (e.keyRejected()) {
        throw new DnsSwitchException(
            String.format(
                "the DNS server refused the TSIG key for %.1f s over %d attempts (read again at"
                    + " each; a rotation's window lasts milliseconds): the key behind the tenants"
                    + " file's references and the server's differ; the last: %s",
                (System.nanoTime() - started) / 1e9, attempts.get(), e.getMessage()),
            e);
      }
      throw new DnsSwitchException(
          String.format(
              "the DNS provider could not be reached in %d attempts over %.1f s"
                  + " (kdr.workflow.dns-timeout %d s); the last: %s",
              attempts.get(),
              (System.nanoTime() - started) / 1e9,
              timeout.toSeconds(),
              e.getMessage()),
          e);
    }
  }
}
