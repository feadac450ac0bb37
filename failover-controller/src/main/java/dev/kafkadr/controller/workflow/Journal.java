package dev.kafkadr.controller.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One workflow's journal: an append-only file of JSON lines, each forced to disk before the call
 * returns, so that what a step did survives a controller killed right after it. Replaying the
 * journal tells a restarted controller which steps are done, with the facts they recorded, and so
 * where to resume. A torn last line (the controller died while writing it) is ignored.
 */
public final class Journal {

  /**
   * One line of the journal.
   *
   * @param type {@code created}, {@code step-started}, {@code step-done}, {@code step-failed} or
   *     {@code finished}
   * @param step the step, for step events
   * @param at when, Unix milliseconds
   * @param detail a human-readable line
   * @param facts what a step established, for the steps after it and for the audit log
   */
  public record Event(
      String type, String step, long at, String detail, Map<String, Object> facts) {}

  static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  /** The journal in {@code file}; created on the first append. */
  public Journal(Path file) {
    this.file = file;
  }

  /** Where it lives. */
  public Path file() {
    return file;
  }

  /** Appends {@code event} and forces it to disk. */
  public synchronized void append(Event event) {
    try {
      Files.createDirectories(file.getParent());
      byte[] line = (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("workflow journal " + file + " cannot be written", e);
    }
  }

  /** Every complete event, in order. */
  public synchronized List<Event> read() {
    List<Event> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(JSON.readValue(line, Event.class));
        } catch (IOException torn) {
          // The controller died while writing this line: it never happened.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("workflow journal " + file + " cannot be read", e);
    }
    return out;
  }
}
