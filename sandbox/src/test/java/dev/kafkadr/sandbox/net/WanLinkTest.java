package dev.kafkadr.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkadr.sandbox.process.FreePorts;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WAN link over a real echo server on 127.0.0.1: delay, bandwidth cap, cut and heal (the cut
 * needs root and nftables).
 */
class WanLinkTest {

  private ServerSocket echo;
  private Thread server;
  private WanLink link;
  private Socket client;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server =
        start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  start(() -> echo(s));
                } catch (IOException closed) {
                  return;
                }
              }
            });
    int proxy = FreePorts.allocate(1, false).get(0);
    link = WanLink.open("test", Map.of(proxy, echo.getLocalPort()));
    client = new Socket();
    client.connect(new InetSocketAddress("127.0.0.1", proxy), 2000);
    client.setTcpNoDelay(true);
  }

  private static Thread start(Runnable r) {
    Thread t = new Thread(r, "wan-link-test");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void echo(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException gone) {
      // the client went away
    }
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    link.close();
    echo.close();
    server.join(2000);
  }

  @Test
  void aDelayEachWayAddsItTwiceToARoundTripAndNothingWithoutIt() throws IOException {
    roundTripMillis(); // the first pays for class loading and the proxy's connect
    long plain = Math.min(roundTripMillis(), roundTripMillis());
    link.delay(Duration.ofMillis(25));
    long slowed = Math.min(roundTripMillis(), roundTripMillis());
    System.out.printf("round trip: %d ms plain, %d ms at 25 ms each way%n", plain, slowed);
    assertThat(plain).isLessThan(25);
    assertThat(slowed).isBetween(50L, 90L);
    assertThat(link.describe()).contains("25 ms each way");
  }

  @Test
  void aBandwidthCapHoldsABulkTransferNearIt() throws Exception {
    link.bandwidth(100_000);
    byte[] chunk = new byte[200_000];
    long t0 = System.nanoTime();
    Thread writer =
        start(
            () -> {
              try {
                client.getOutputStream().write(chunk);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    new DataInputStream(client.getInputStream()).readFully(new byte[chunk.length]);
    writer.join();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("200,000 bytes echoed at a 100,000 bytes/s cap in %d ms%n", millis);
    // each direction is capped: at least the 2 s one direction needs, less the first second's
    // burst
    assertThat(millis).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void aCutLinkMovesNoByteUntilHealed() throws Exception {
    if (NetworkCut.unavailable().isPresent() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort(NetworkCut.unavailable().get());
    }
    link.cut();
    assertThat(link.isCut()).isTrue();
    client.setSoTimeout(1500);
    client.getOutputStream().write(42);
    boolean arrived;
    try {
      arrived = client.getInputStream().read() >= 0;
    } catch (SocketTimeoutException stalled) {
      arrived = false;
    }
    assertThat(arrived).as("a byte crossed a cut link").isFalse();
    link.heal();
    client.setSoTimeout(5000);
    assertThat(client.getInputStream().read()).isEqualTo(42);
  }

  private long roundTripMillis() throws IOException {
    client.setSoTimeout(5000);
    long t0 = System.nanoTime();
    client.getOutputStream().write(7);
    assertThat(client.getInputStream().read()).isEqualTo(7);
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
