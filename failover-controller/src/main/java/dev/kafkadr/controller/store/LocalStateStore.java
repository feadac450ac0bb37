package dev.kafkadr.controller.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The state store on one disk, in the journal directory, for one replica ({@link JournalDirLock}
 * keeps a second one out, so versions are checked in this process). A document is the file {@code
 * <key>.doc}: its version on the first line, the value after it, replaced atomically (written
 * beside, forced, renamed). A log is the file {@code <log>.jsonl}, one entry per line, each append
 * forced to disk before it returns; a line torn by a crash (no line break) is cut off when the log
 * is first opened, so it is neither read nor glued to the next entry.
 */
public final class LocalStateStore implements StateStore {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
  private static final String DOC = ".doc";
  private static final String LOG = ".jsonl";

  private final Path dir;
  private final Map<String, Long> counts = new HashMap<>();

  /**
   * A store in {@code dir}, created when missing. Tenant locks written before the state store
   * existed ({@code locks/<tenant>.lock}, the workflow id as text) become documents {@code
   * locks/<tenant>} at version 1, so a workflow a controller of that version left running resumes.
   */
  public LocalStateStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      Path locks = dir.resolve("locks");
      if (Files.isDirectory(locks)) {
        try (Stream<Path> old = Files.list(locks)) {
          for (Path f : old.filter(f -> f.toString().endsWith(".lock")).toList()) {
            String name = f.getFileName().toString();
            String tenant = name.substring(0, name.length() - ".lock".length());
            if (get("locks/" + tenant).isEmpty()) {
              put("locks/" + tenant, Files.readString(f, StandardCharsets.UTF_8).trim(), 0);
            }
            Files.delete(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the state directory " + dir + " cannot be prepared", e);
    }
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  @Override
  public synchronized Optional<Doc> get(String key) {
    Path file = file(key, DOC);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      return Optional.of(new Doc(text.substring(nl + 1), Long.parseLong(text.substring(0, nl))));
    } catch (IOException | RuntimeException e) {
      throw new StoreException("state document " + file + " cannot be read: " + e, e);
    }
  }

  @Override
  public synchronized long put(String key, String value, long expected) {
    long found = get(key).map(Doc::version).orElse(0L);
    if (found != expected) {
      throw stale(key, expected, found);
    }
    Path file = file(key, DOC);
    Path next = file.resolveSibling(file.getFileName() + ".next");
    try {
      Files.createDirectories(file.getParent());
      write(next, (expected + 1) + "\n" + value, false);
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StoreException("state document " + file + " cannot be written: " + e, e);
    }
    return expected + 1;
  }

  @Override
  public synchronized void observe(String name, String value) {
    if (name.contains("/")) {
      throw new IllegalArgumentException("an observation's name is one name, not " + name);
    }
    Path file = file(OBSERVATIONS + "/" + name, DOC);
    long version = get(OBSERVATIONS + "/" + name).map(Doc::version).orElse(0L);
    Path next = file.resolveSibling(file.getFileName() + ".next");
    try {
      Files.createDirectories(file.getParent());
      write(next, (version + 1) + "\n" + value, false);
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new StoreException("observation " + file + " cannot be written: " + e, e);
    }
  }

  @Override
  public synchronized void delete(String key, long expected) {
    long found = get(key).map(Doc::version).orElse(0L);
    if (found != expected || expected == 0) {
      throw stale(key, expected, found);
    }
    try {
      Files.delete(file(key, DOC));
    } catch (IOException e) {
      throw new StoreException("state document " + key + " cannot be deleted: " + e, e);
    }
  }

  @Override
  public synchronized Map<String, Doc> list(String prefix) {
    Map<String, Doc> out = new TreeMap<>();
    Path base = dir.resolve(check(prefix));
    if (!Files.isDirectory(base)) {
      return out;
    }
    try (Stream<Path> files = Files.list(base)) {
      for (Path f : files.filter(f -> f.toString().endsWith(DOC)).toList()) {
        String name = f.getFileName().toString();
        String rest = name.substring(0, name.length() - DOC.length());
        get(prefix + "/" + rest).ifPresent(d -> out.put(rest, d));
      }
    } catch (IOException e) {
      throw new StoreException("state documents in " + base + " cannot be listed: " + e, e);
    }
    return out;
  }

  @Override
  public synchronized void deleteLog(String log, long entries) {
    long found = count(log);
    if (found != entries) {
      throw new StaleWrite(
          "log " + log + " holds " + found + " entries, not the " + entries + " expected");
    }
    try {
      Files.deleteIfExists(file(log, LOG));
      counts.remove(log);
    } catch (IOException e) {
      throw new StoreException("state log " + log + " cannot be deleted: " + e, e);
    }
  }

  @Override
  public synchronized void append(String log, String line, long expected) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a log entry is one line; this one has a line break");
    }
    long found = count(log);
    if (found != expected) {
      throw new StaleWrite(
          "log " + log + " holds " + found + " entries, not the " + expected + " expected");
    }
    Path file = file(log, LOG);
    try {
      Files.createDirectories(file.getParent());
      write(file, line + "\n", true);
    } catch (IOException e) {
      throw new StoreException("log " + file + " cannot be written: " + e, e);
    }
    counts.put(log, found + 1);
  }

  @Override
  public synchronized List<String> read(String log) {
    Path file = file(log, LOG);
    count(log); // cuts a torn last line off first
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        out.add(line);
      }
      return out;
    } catch (IOException e) {
      throw new StoreException("log " + file + " cannot be read: " + e, e);
    }
  }

  @Override
  public synchronized List<String> logs(String prefix) {
    Path base = prefix.isEmpty() ? dir : dir.resolve(check(prefix));
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(base)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(LOG))
          .map(n -> (prefix.isEmpty() ? "" : prefix + "/") + n.substring(0, n.length() - 6))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new StoreException("logs in " + base + " cannot be listed: " + e, e);
    }
  }

  /** Entries in {@code log}, counted once per process; a torn last line is cut off then. */
  private long count(String log) {
    Long known = counts.get(log);
    if (known != null) {
      return known;
    }
    Path file = file(log, LOG);
    long n = 0;
    if (Files.exists(file)) {
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        byte[] all = Files.readAllBytes(file);
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
          end--;
        }
        if (end < all.length) {
          ch.truncate(end);
          ch.force(true);
        }
        for (int i = 0; i < end; i++) {
          if (all[i] == '\n') {
            n++;
          }
        }
      } catch (IOException e) {
        throw new StoreException("log " + file + " cannot be read: " + e, e);
      }
    }
    counts.put(log, n);
    return n;
  }

  private static void write(Path file, String text, boolean append) throws IOException {
    try (FileChannel ch =
        append
            ? FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)
            : FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      ch.force(true);
    }
  }

  private Path file(String name, String suffix) {
    return dir.resolve(check(name) + suffix);
  }

  private static String check(String name) {
    if (!NAME.matcher(name).matches()
        || java.util.Arrays.stream(name.split("/"))
            .anyMatch(c -> c.equals(".") || c.equals(".."))) {
      throw new IllegalArgumentException(
          "\""
              + name
              + "\" is not a state key: /-separated names of letters, digits, . _ - (not . or ..)");
    }
    return name;
  }

  private static StaleWrite stale(String key, long expected, long found) {
    return new StaleWrite(
        "state document "
            + key
            + " is at version "
            + found
            + ", not the "
            + expected
            + " expected");
  }
}
