package dev.kafkadr.sandbox.process;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ends a child process of the sandbox when the process that started it is gone.
 *
 * <p>The sandbox keeps the write end of every child's standard input open for as long as it lives.
 * The kernel closes that pipe when the sandbox exits for any reason, SIGKILL included, so end of
 * input on {@code System.in} is a reliable "parent gone" signal that needs no polling and no PID
 * (which could be reused).
 */
public final class ParentWatchdog {

  private ParentWatchdog() {}

  /** Starts a daemon thread that halts this JVM once standard input reaches its end. */
  public static void install() {
    Thread watcher = new Thread(ParentWatchdog::watch, "kdr-parent-watchdog");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void watch() {
    InputStream in = System.in;
    byte[] buffer = new byte[64];
    try {
      while (in.read(buffer) >= 0) {
        // The sandbox never writes; anything read is ignored.
      }
    } catch (IOException ignored) {
      // A broken pipe means the same as end of input.
    }
    System.err.println("kdr: parent process is gone; halting " + System.getProperty("kdr.role"));
    // halt, not exit: shutdown hooks could wait on peers that are gone too, and the data is
    // disposable.
    Runtime.getRuntime().halt(3);
  }
}
