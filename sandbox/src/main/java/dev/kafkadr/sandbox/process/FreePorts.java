package dev.kafkadr.sandbox.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks free ports on 127.0.0.1 for the servers of the sandbox, below the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 by default). A port the kernel hands
 * out for {@code bind(0)} comes from that range, which is also where every outgoing connection gets
 * its local port: between the pick and the server's own bind, a client's connection could take it
 * (a broker then failed to start with "Unable to start acceptor", seen under the fault matrix's
 * load). Below the range only listeners compete, and each candidate is bound once to check it.
 */
public final class FreePorts {

  /** The lowest port picked: above the ports system services usually take. */
  static final int LOWEST = 15_000;

  /**
   * Ports handed out by this JVM, with when: never handed out again within {@link #HELD_FOR}. A
   * port is free between its pick and its server's bind, so without this a second pick (the
   * secondary cluster's, right after the primary's) could hand out a port the first one's broker is
   * about to bind; a broker then failed to start with "Unable to start acceptor for WAN".
   */
  private static final java.util.Map<Integer, Long> HANDED_OUT =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** How long a port handed out stays reserved for the server it was picked for. */
  static final long HELD_FOR = java.util.concurrent.TimeUnit.HOURS.toNanos(2);

  private FreePorts() {}

  /**
   * Returns {@code count} distinct ports that were free for TCP (and, when {@code udpToo}, UDP) a
   * moment ago. All sockets are held until every port is chosen, so the ports are distinct.
   *
   * @throws UncheckedIOException when no free port is left to pick
   */
  public static List<Integer> allocate(int count, boolean udpToo) {
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    int[] range = ephemeralRange();
    // below the range if there is room, else above it; a range leaving neither (1024-65535) falls
    // back to the kernel's choice, with the race this class exists to avoid
    int first = range[0] - LOWEST > 8 * count ? LOWEST : range[1] + 1;
    int span = first == LOWEST ? range[0] - LOWEST : 65_536 - first;
    try {
      int start = span > count ? java.util.concurrent.ThreadLocalRandom.current().nextInt(span) : 0;
      for (int tried = 0; ports.size() < count; tried++) {
        int port = 0;
        if (span > count && tried < span) {
          port = first + (start + tried) % span;
          Long at = HANDED_OUT.get(port);
          if (at != null && System.nanoTime() - at < HELD_FOR) {
            continue;
          }
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(false);
        try {
          socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException inUse) {
          socket.close();
          if (port == 0) {
            throw inUse;
          }
          continue;
        }
        held.add(socket);
        if (!udpToo || udpFree(socket.getLocalPort())) {
          ports.add(socket.getLocalPort());
        }
      }
      long now = System.nanoTime();
      ports.forEach(p -> HANDED_OUT.put(p, now));
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that never accepted cannot lose anything.
        }
      }
    }
  }

  /** The kernel's ephemeral range, first and last port; 32768-60999 when it cannot be read. */
  static int[] ephemeralRange() {
    try {
      // readAllLines, not readString: procfs reports a size of 0, and Java 17's readString of
      // this file returned its first byte only ("3")
      String range =
          java.nio.file.Files.readAllLines(
                  java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
              .get(0)
              .strip();
      String[] ends = range.split("\\s+");
      return new int[] {Integer.parseInt(ends[0]), Integer.parseInt(ends[1])};
    } catch (IOException | RuntimeException e) {
      return new int[] {32_768, 60_999};
    }
  }

  private static boolean udpFree(int port) {
    try (DatagramSocket udp =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      return udp.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }
}
