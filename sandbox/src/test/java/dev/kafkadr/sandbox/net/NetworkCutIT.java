package dev.kafkadr.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A cut drops the packets of the processes started in its group to the ports named, and only
 * theirs: a process outside the group still connects; a connection the group's process opened
 * before the cut stalls; after {@code heal} the group connects again; {@code close} leaves no table
 * and no group.
 */
class NetworkCutIT {

  @Test
  void onlyTheGroupsConnectionsToTheNamedPortsAreCut() throws Exception {
    if (NetworkCut.unavailable().isPresent() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort(NetworkCut.unavailable().get());
    }
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = accept(server);
      Thread acceptor2 = accept(other);
      Path group;
      String table;
      try (NetworkCut cut = NetworkCut.create("test")) {
        assertThat(connects(cut, server.getLocalPort())).as("before the cut").isTrue();
        cut.cut(Set.of(server.getLocalPort()));
        assertThat(cut.rules()).contains("socket cgroupv2 level 1", "drop");
        assertThat(connects(cut, server.getLocalPort())).as("in the group, cut").isFalse();
        assertThat(connects(cut, other.getLocalPort())).as("in the group, other port").isTrue();
        try (Socket outside = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
          assertThat(outside.isConnected()).as("outside the group").isTrue();
        }
        cut.heal();
        assertThat(connects(cut, server.getLocalPort())).as("healed").isTrue();
        table = cut.rules().lines().findFirst().orElseThrow();
        group = groupOf(cut);
        assertThat(Files.isDirectory(group)).isTrue();
      }
      assertThat(Files.exists(group)).as("group removed").isFalse();
      Process list = new ProcessBuilder("/usr/sbin/nft", "list tables").start();
      String tables = new String(list.getInputStream().readAllBytes());
      list.waitFor(10, TimeUnit.SECONDS);
      assertThat(tables).as("table removed").doesNotContain(table.replace(" {", "").trim());
      acceptor.interrupt();
      acceptor2.interrupt();
    }
  }

  @Test
  void aConnectionOpenedBeforeTheCutStalls() throws Exception {
    if (NetworkCut.unavailable().isPresent() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort(NetworkCut.unavailable().get());
    }
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        NetworkCut cut = NetworkCut.create("established")) {
      List<String> command = new ArrayList<>(cut.launcher());
      command.addAll(
          List.of(
              "bash",
              "-c",
              "exec 3<>/dev/tcp/127.0.0.1/"
                  + server.getLocalPort()
                  + " && echo before >&3 && sleep 2 && echo after >&3 && sleep 3"));
      Process p = new ProcessBuilder(command).start();
      try (Socket s = server.accept()) {
        s.setSoTimeout(5000);
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
        assertThat(in.readLine()).isEqualTo("before");
        cut.cut(Set.of(server.getLocalPort()));
        s.setSoTimeout(4000);
        assertThat(readOrNothing(in)).as("sent after the cut").isNull();
      } finally {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String readOrNothing(java.io.BufferedReader in) throws IOException {
    try {
      return in.readLine();
    } catch (java.net.SocketTimeoutException e) {
      return null;
    }
  }

  /** Whether a process started in the cut's group connects to {@code port} within 3 s. */
  private static boolean connects(NetworkCut cut, int port) throws Exception {
    List<String> command = new ArrayList<>(cut.launcher());
    command.addAll(
        List.of(
            "timeout",
            "3",
            "bash",
            "-c",
            "exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo connected"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 && out.contains("connected");
  }

  private static Path groupOf(NetworkCut cut) {
    String procs = cut.launcher().get(2);
    String file = procs.substring(procs.indexOf('\'') + 1, procs.lastIndexOf('\''));
    return Path.of(file).getParent();
  }

  private static Thread accept(ServerSocket server) {
    Thread t =
        new Thread(
            () -> {
              List<Socket> open = new ArrayList<>();
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  open.add(server.accept());
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
