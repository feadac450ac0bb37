package dev.kafkadr.sandbox.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void portsAreDistinctFreeAndBelowTheEphemeralRange() throws Exception {
    List<Integer> ports = FreePorts.allocate(20, true);

    assertThat(ports).hasSize(20).doesNotHaveDuplicates();
    assertThat(ports)
        .as("outside the range outgoing connections take their local ports from")
        .allMatch(p -> p < FreePorts.ephemeralRange()[0] || p > FreePorts.ephemeralRange()[1]);
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void aPortHandedOutIsNotHandedOutAgainWhileItsServerMayStillBeBindingIt() {
    // Picked one after the other and never bound, as a sandbox's two clusters' ports are before
    // their brokers start: still free, yet never the same.
    java.util.Set<Integer> all = new java.util.HashSet<>();
    for (int round = 0; round < 40; round++) {
      for (int port : FreePorts.allocate(15, false)) {
        assertThat(all.add(port)).as("port %d handed out twice", port).isTrue();
      }
    }
  }
}
