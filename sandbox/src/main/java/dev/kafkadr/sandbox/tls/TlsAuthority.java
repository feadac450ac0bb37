package dev.kafkadr.sandbox.tls;

import dev.kafkadr.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of one sandbox, made with the JDK's {@code keytool} (no certificate code
 * of ours): an EC P-256 CA valid 30 days whose certificate ({@link #caCertificate()}, PEM) clients
 * trust, and server certificates it signs for 127.0.0.1 and localhost. Keystores are PKCS12 under a
 * password drawn per authority, kept in memory and handed to keytool through its environment (never
 * a command line); a server's private key is also written as PEM (PKCS#8, mode 600) for servers
 * that read PEM, such as Quarkus. Every certificate serves both ends of a TLS connection (server
 * and client authentication), so one made for a principal also logs it in over mutual TLS, where
 * the broker takes the principal from the certificate's CN.
 */
public final class TlsAuthority {

  private static final String PASSWORD_ENV = "KDR_SANDBOX_TLS_PASSWORD";

  /**
   * A server's certificate and key.
   *
   * @param certificateChain PEM: the server's certificate, then the CA's
   * @param privateKey PEM, PKCS#8, unencrypted, mode 600
   * @param keyStore PKCS12 holding both, under {@link TlsAuthority#keyStorePassword()}
   */
  public record ServerCertificate(Path certificateChain, Path privateKey, Path keyStore) {}

  private final Path dir;
  private final String password;
  private final java.util.Map<String, ServerCertificate> issued =
      new java.util.concurrent.ConcurrentHashMap<>();

  private TlsAuthority(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /**
   * A new authority in {@code dir} (created if missing).
   *
   * @throws SandboxException when keytool fails, with its output
   */
  public static TlsAuthority create(Path dir) {
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    TlsAuthority ca =
        new TlsAuthority(dir, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new SandboxException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    ca.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=kafka-dr sandbox CA",
        "-ext",
        "bc:c",
        "-validity",
        "30",
        "-storetype",
        "PKCS12",
        "-keystore",
        ca.caStore().toString());
    ca.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.caStore().toString(),
        "-file",
        ca.caCertificate().toString());
    return ca;
  }

  /**
   * A PKCS12 trust store holding only the CA's certificate, under {@link #keyStorePassword()}, for
   * Kafka clients and servers (which read PKCS12 or JKS, not a PEM file, without extra settings);
   * made on first call.
   *
   * @throws SandboxException when keytool fails
   */
  public synchronized Path trustStore() {
    Path store = dir.resolve("truststore.p12");
    if (!Files.exists(store)) {
      importCa(store);
    }
    return store;
  }

  /**
   * A properties file (mode 600) whose key {@code password} is {@link #keyStorePassword()}, so that
   * a configuration names the password as {@code ${file:<this path>:password}} (Kafka's {@code
   * FileConfigProvider}) and holds no secret itself; written on first call.
   *
   * @throws SandboxException when the file cannot be written
   */
  public synchronized Path passwordFile() {
    Path file = dir.resolve("store-password.properties");
    if (!Files.exists(file)) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "password=" + password + "\n", StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new SandboxException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
    return file;
  }

  /** {@code ${file:<passwordFile>:password}}: the store password as a ConfigProvider reference. */
  public String passwordReference() {
    return "${file:" + passwordFile() + ":password}";
  }

  /**
   * A TLS context that presents {@code name}'s certificate (issued on first use) and trusts only
   * this CA: for a client of servers that require a client certificate.
   *
   * @throws SandboxException when the stores cannot be read
   */
  public javax.net.ssl.SSLContext sslContext(String name) {
    char[] secret = password.toCharArray();
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(issue(name).keyStore())) {
        keys.load(in, secret);
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(trustStore())) {
        trust.load(in, secret);
      }
      var km =
          javax.net.ssl.KeyManagerFactory.getInstance(
              javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      km.init(keys, secret);
      var tm =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tm.init(trust);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(km.getKeyManagers(), tm.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new SandboxException("cannot load the key store of " + name + ": " + e, e);
    }
  }

  /** The CA's certificate, PEM: what clients trust. */
  public Path caCertificate() {
    return dir.resolve("ca.pem");
  }

  /** The password of every keystore of this authority (in memory only). */
  public String keyStorePassword() {
    return password;
  }

  /**
   * A certificate for a server named {@code name} on 127.0.0.1 and localhost, signed by this CA,
   * valid 30 days, for server authentication; the one issued before under that name, if any (the
   * sandbox's controllers started one after another share it).
   *
   * @throws SandboxException when keytool fails or the key cannot be written
   */
  public synchronized ServerCertificate issue(String name) {
    ServerCertificate before = issued.get(name);
    if (before != null) {
      return before;
    }
    ServerCertificate made = make(name);
    issued.put(name, made);
    return made;
  }

  private ServerCertificate make(String name) {
    Path store = dir.resolve(name + ".p12");
    Path request = dir.resolve(name + ".csr");
    Path signed = dir.resolve(name + ".crt");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-validity",
        "30",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString());
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", request.toString());
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        caStore().toString(),
        "-infile",
        request.toString(),
        "-outfile",
        signed.toString(),
        "-validity",
        "30",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-ext",
        "KU=digitalSignature",
        "-ext",
        "EKU=serverAuth,clientAuth");
    importCa(store);
    keytool(
        "-importcert", "-alias", name, "-file", signed.toString(), "-keystore", store.toString());
    try {
      Path chain = dir.resolve(name + "-chain.pem");
      Files.writeString(
          chain,
          Files.readString(signed, StandardCharsets.US_ASCII)
              + Files.readString(caCertificate(), StandardCharsets.US_ASCII));
      Path key = dir.resolve(name + "-key.pem");
      writeKey(store, name, key);
      Files.deleteIfExists(request);
      return new ServerCertificate(chain, key, store);
    } catch (IOException | GeneralSecurityException e) {
      throw new SandboxException("cannot write the certificate of " + name + ": " + e, e);
    }
  }

  /** Adds the CA's certificate to {@code store} (PKCS12, made if missing) as a trusted entry. */
  private void importCa(Path store) {
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caCertificate().toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString());
  }

  private Path caStore() {
    return dir.resolve("ca.p12");
  }

  private void writeKey(Path store, String alias, Path key)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, password.toCharArray());
    }
    Key privateKey = ks.getKey(alias, password.toCharArray());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(privateKey.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Files.deleteIfExists(key);
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, pem, StandardCharsets.US_ASCII);
  }

  private void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass:env", PASSWORD_ENV));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(PASSWORD_ENV, password);
    try {
      Process p = builder.start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new SandboxException(
            "keytool "
                + args[0]
                + " failed: "
                + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new SandboxException("cannot run keytool: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted running keytool", e);
    }
  }
}
