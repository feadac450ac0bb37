package dev.kafkadr.sandbox.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A child process whose wall clock is off by a fixed offset, through libfaketime (Debian's {@code
 * faketime} package) preloaded into it: {@code System.currentTimeMillis()} and {@code
 * Instant.now()} are shifted, while the monotonic clock a JVM times its waits with is left alone
 * ({@code FAKETIME_DONT_FAKE_MONOTONIC=1}; a faked monotonic clock stalls JVM timers), and timed
 * waits are left to the kernel ({@code FAKETIME_FORCE_MONOTONIC_FIX=0}: with libfaketime 0.9.10's
 * default, a JVM's {@code Object.wait(100)} and {@code LockSupport.parkNanos} returned at once,
 * turning every timed wait into a busy loop; measured on Debian's 0.9.10-2.1). Used to run a
 * process as if on a host whose clock is skewed. The launcher is a command prefix that keeps the
 * PID ({@code env} replaces itself with the command), for {@link ControllerProcess}.
 */
public final class FakeClock {

  /** Where Debian's {@code faketime} package puts the library, per architecture. */
  private static final List<Path> LIBRARIES =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
          Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"));

  private FakeClock() {}

  /** What is missing for a skewed clock, or empty when it can be had. */
  public static Optional<String> unavailable() {
    return library().isPresent()
        ? Optional.empty()
        : Optional.of("libfaketime is not installed (apt-get install faketime)");
  }

  private static Optional<Path> library() {
    return LIBRARIES.stream().filter(Files::isRegularFile).findFirst();
  }

  /**
   * The command prefix that runs a command with its wall clock {@code offset} off (negative:
   * behind), to the second.
   *
   * @throws IllegalStateException when libfaketime is not installed
   */
  public static List<String> launcher(Duration offset) {
    Path lib = library().orElseThrow(() -> new IllegalStateException(unavailable().orElseThrow()));
    long seconds = offset.toSeconds();
    return List.of(
        "env",
        "LD_PRELOAD=" + lib,
        "FAKETIME=" + (seconds >= 0 ? "+" : "") + seconds + "s",
        "FAKETIME_DONT_FAKE_MONOTONIC=1",
        "FAKETIME_FORCE_MONOTONIC_FIX=0");
  }
}
