package dev.kafkadr.controller.auth;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/** The address a request came from, as the login throttle and the audit log name it. */
public final class ClientAddress {

  private ClientAddress() {}

  /**
   * The request's peer address (the one a trusted proxy forwarded, when Quarkus's proxy address
   * forwarding is on), or {@code "unknown"}.
   */
  public static String of(RoutingContext rc) {
    SocketAddress peer = rc.request().remoteAddress();
    if (peer == null) {
      return "unknown";
    }
    return peer.hostAddress() != null ? peer.hostAddress() : peer.toString();
  }
}
