package dev.kafkadr.testkit.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The established TCP connections a process holds, read from Linux's {@code /proc}: the socket
 * inodes among {@code /proc/<pid>/fd}, matched against the kernel's tables in {@code
 * /proc/<pid>/net/tcp} and {@code tcp6} (the process's own network namespace). No tool is run, so
 * the listing needs no package; it needs permission to read the process's file descriptors (the
 * same user, or root).
 */
public final class ProcessConnections {

  /**
   * One established connection.
   *
   * @param localPort the process's end
   * @param remotePort the peer's end
   */
  public record Connection(int localPort, int remotePort) {}

  private ProcessConnections() {}

  /**
   * Every established TCP connection of process {@code pid}.
   *
   * @throws IllegalStateException when {@code /proc} cannot be read for that process (it has
   *     exited, or belongs to another user), naming the PID
   */
  public static List<Connection> established(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // The descriptor was closed between listing and reading: not a connection any more.
        }
      }
      List<Connection> out = new ArrayList<>();
      for (String table : List.of("tcp", "tcp6")) {
        Path file = proc.resolve("net").resolve(table);
        if (Files.exists(file)) {
          for (String line : Files.readAllLines(file)) {
            parse(line, inodes, out);
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot list the connections of PID " + pid + ": " + e.getMessage(), e);
    }
  }

  private static void parse(String line, Set<String> inodes, List<Connection> out) {
    String[] f = line.trim().split("\\s+");
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...; state 01 is ESTABLISHED.
    if (f.length < 10 || !f[0].endsWith(":") || !"01".equals(f[3]) || !inodes.contains(f[9])) {
      return;
    }
    out.add(new Connection(port(f[1]), port(f[2])));
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }
}
