package dev.kafkadr.sandbox.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.DelayThrottler;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.core.throttle.ThrottlerFactory;
import org.netcrusher.core.throttle.Throttlers;
import org.netcrusher.core.throttle.rate.ByteRateThrottler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

/**
 * The wide-area link in front of one cluster: a NetCrusher TCP proxy per broker, each listening at
 * the address the broker advertises on its {@code WAN} listener, so that a client bootstrapped at
 * {@link #bootstrapServers()} (a cross-region client, such as MirrorMaker 2's source consumer)
 * reaches every broker through the link, and nothing else does. The link can be slowed ({@link
 * #delay}, {@link #bandwidth}) and cut ({@link #cut}: no byte moves either way while connections
 * stay open, as across a partition) while it carries traffic; settings apply to open connections
 * within one buffer. TCP retransmits what a real link drops, so packet loss shows here as delay.
 *
 * <p>A cut drops the packets to and from the proxies' ports in the kernel ({@link
 * NetworkCut#cutPorts}, nftables; root), as a partition does: connections stall and retransmit, and
 * carry on after a short cut. (NetCrusher's own freeze was tried first: after an unfreeze, a
 * response it held queued was not written until the client's request timed out, 30 s later.)
 *
 * <p>The proxies run in this JVM on one reactor thread; {@link #close()} stops them and removes the
 * cut's nftables table.
 */
public final class WanLink implements AutoCloseable {

  /** Settings of both directions; replaced whole, read by every connection's throttlers. */
  private record Shape(long delayNanos, long bytesPerSecond) {}

  private final String cluster;
  private final NioReactor reactor;
  private final List<TcpCrusher> proxies = new ArrayList<>();
  private volatile Shape shape = new Shape(0, 0);
  private NetworkCut cut;
  private boolean isCut;

  private WanLink(String cluster, NioReactor reactor) {
    this.cluster = cluster;
    this.reactor = reactor;
  }

  /**
   * Opens one proxy per entry of {@code routes}: listening on 127.0.0.1 at the key, forwarding to
   * 127.0.0.1 at the value.
   *
   * @param cluster the cluster behind the link, for messages
   * @param routes proxy port to broker {@code WAN} listener port, in broker order
   * @throws UncheckedIOException when a proxy port cannot be bound
   */
  public static WanLink open(String cluster, Map<Integer, Integer> routes) {
    NioReactor reactor;
    try {
      // a 2 ms tick: delays of a few milliseconds are kept to within the tick
      reactor = new NioReactor(2);
    } catch (IOException e) {
      throw new UncheckedIOException("WAN link of " + cluster + ": no reactor", e);
    }
    WanLink link = new WanLink(cluster, reactor);
    try {
      routes.forEach(
          (proxy, broker) ->
              link.proxies.add(
                  TcpCrusherBuilder.builder()
                      .withReactor(reactor)
                      .withBindAddress(new InetSocketAddress("127.0.0.1", proxy))
                      .withConnectAddress(new InetSocketAddress("127.0.0.1", broker))
                      .withTcpNoDelay(true)
                      .withIncomingThrottlerFactory(link.throttlers())
                      .withOutgoingThrottlerFactory(link.throttlers())
                      .buildAndOpen()));
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
    return link;
  }

  /** {@code 127.0.0.1:port,...} of the proxies, in broker order. */
  public String bootstrapServers() {
    return proxies.stream()
        .map(p -> "127.0.0.1:" + p.getBindAddress().getPort())
        .collect(Collectors.joining(","));
  }

  /**
   * Delays every byte by {@code oneWay} in each direction (a round trip of twice that); zero for
   * none.
   */
  public void delay(Duration oneWay) {
    shape = new Shape(oneWay.toNanos(), shape.bytesPerSecond());
  }

  /** Caps each direction of each connection at {@code bytesPerSecond}; 0 for no cap. */
  public void bandwidth(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bandwidth: " + bytesPerSecond + " bytes/s is negative");
    }
    shape = new Shape(shape.delayNanos(), bytesPerSecond);
  }

  /**
   * Drops every packet to and from the proxies, both ways, connections already open included.
   *
   * @throws IllegalStateException when {@link NetworkCut#unavailable()} says why it cannot
   */
  public synchronized void cut() throws IOException, InterruptedException {
    if (cut == null) {
      cut = NetworkCut.create("wan_" + cluster.replaceAll("[^A-Za-z0-9]", "_"));
    }
    cut.heal();
    cut.cutPorts(proxies.stream().map(p -> p.getBindAddress().getPort()).toList());
    isCut = true;
  }

  /** Lets packets move again after {@link #cut()}. */
  public synchronized void heal() throws IOException, InterruptedException {
    if (cut != null) {
      cut.heal();
    }
    isCut = false;
  }

  /** Whether the link is cut now. */
  public synchronized boolean isCut() {
    return isCut;
  }

  /** What the link does now, e.g. {@code primary WAN: 25 ms each way, 1,000,000 bytes/s}. */
  public String describe() {
    Shape s = shape;
    return String.format(
        "%s WAN: %s, %d ms each way, %s",
        cluster,
        isCut() ? "cut" : "up",
        TimeUnit.NANOSECONDS.toMillis(s.delayNanos()),
        s.bytesPerSecond() == 0
            ? "no bandwidth cap"
            : String.format("%,d bytes/s", s.bytesPerSecond()));
  }

  /** Stops every proxy and the reactor; open connections are closed. */
  @Override
  public synchronized void close() {
    if (cut != null) {
      cut.close();
    }
    proxies.forEach(TcpCrusher::close);
    reactor.close();
  }

  /**
   * A factory of throttlers that follow {@link #shape}: each rebuilds NetCrusher's delay and byte
   * rate throttlers when the shape changes.
   */
  private ThrottlerFactory throttlers() {
    return address ->
        new Throttler() {
          private Shape seen;
          private Throttler current = Throttler.NOOP;

          @Override
          public long calculateDelayNs(ByteBuffer bb) {
            Shape s = shape;
            if (s != seen) {
              seen = s;
              current = build(s, address);
            }
            return current.calculateDelayNs(bb);
          }
        };
  }

  private static Throttler build(Shape s, InetSocketAddress address) {
    List<ThrottlerFactory> parts = new ArrayList<>();
    if (s.delayNanos() > 0) {
      parts.add(a -> new DelayThrottler(s.delayNanos(), TimeUnit.NANOSECONDS));
    }
    if (s.bytesPerSecond() > 0) {
      parts.add(a -> new ByteRateThrottler(s.bytesPerSecond(), 1, TimeUnit.SECONDS));
    }
    return parts.isEmpty()
        ? Throttler.NOOP
        : Throttlers.sum(parts.toArray(ThrottlerFactory[]::new)).allocate(address);
  }
}
