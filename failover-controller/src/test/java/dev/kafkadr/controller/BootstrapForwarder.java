package dev.kafkadr.controller;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bootstrap address on 127.0.0.1 whose destination can be changed: what a client sees when the
 * DNS name in its {@code bootstrap.servers} is pointed at another cluster. Both sandbox clusters
 * listen on 127.0.0.1 on different ports, so a DNS record cannot tell them apart; this stands in
 * for the name, while the record change itself is tested against BIND. Connections made before a
 * change keep their destination, as TCP connections to a resolved address do.
 */
final class BootstrapForwarder implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile String destination;

  BootstrapForwarder(String destination) throws IOException {
    this.destination = destination;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "bootstrap-forwarder");
    accept.setDaemon(true);
    accept.start();
  }

  /** The address clients bootstrap from. */
  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** New connections go to {@code hostAndPort} from now on. */
  void pointTo(String hostAndPort) {
    destination = hostAndPort;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        String[] to = destination.split(":");
        Socket upstream = new Socket();
        try {
          upstream.connect(new InetSocketAddress(to[0], Integer.parseInt(to[1])), 2000);
        } catch (IOException e) {
          client.close();
          continue;
        }
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "bootstrap-forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(BootstrapForwarder::closeQuietly);
  }
}
