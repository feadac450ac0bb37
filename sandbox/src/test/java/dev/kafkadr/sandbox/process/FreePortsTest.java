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
}
