package dev.kafkadr.controller;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * An OpenID Connect issuer on 127.0.0.1 for the tests: its discovery document and its key set (one
 * RSA key made at start), and signed access tokens with a {@code groups} claim. Stopped by {@link
 * #close()}.
 */
final class TokenIssuer implements AutoCloseable {

  private final HttpServer server;
  private final RsaJsonWebKey key;

  TokenIssuer() throws IOException, JoseException {
    key = RsaJwkGenerator.generateJwk(2048);
    key.setKeyId("test-key");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    server.createContext(
        "/.well-known/openid-configuration",
        e -> answer(e, "{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + url() + "/jwks\"}"));
    server.createContext("/jwks", e -> answer(e, jwks));
    server.start();
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** The issuer's URL, as {@code quarkus.oidc.auth-server-url} names it. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The audience of the tokens meant for the controller. */
  static final String AUDIENCE = "kafka-dr";

  /** A token for {@code subject} with {@code groups}, valid for {@code lifetime} from now. */
  String token(String subject, List<String> groups, Duration lifetime) {
    return sign(subject, groups, Instant.now().plus(lifetime), key, AUDIENCE);
  }

  /** A token minted for another service ({@code audience}), otherwise valid. */
  String tokenFor(String audience, String subject, List<String> groups) {
    return sign(subject, groups, Instant.now().plusSeconds(300), key, audience);
  }

  /** The same token signed by a key this issuer does not publish. */
  String forged(String subject, List<String> groups) throws JoseException {
    return sign(
        subject,
        groups,
        Instant.now().plusSeconds(300),
        RsaJwkGenerator.generateJwk(2048),
        AUDIENCE);
  }

  private String sign(
      String subject, List<String> groups, Instant expires, RsaJsonWebKey with, String audience) {
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(url());
    claims.setAudience(audience);
    claims.setSubject(subject);
    claims.setIssuedAtToNow();
    claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
    claims.setStringListClaim("groups", groups);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setKeyIdHeaderValue("test-key");
    jws.setKey(with.getPrivateKey());
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
