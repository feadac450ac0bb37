package dev.kafkadr.sandbox.tls;

import dev.kafkadr.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A certificate authority of one sandbox, made in-process with Bouncy Castle's certificate builder
 * (no certificate encoding of ours; one JVM instead of the five {@code keytool} runs a certificate
 * took before, about 0.9 s each): an EC P-256 CA valid 30 days whose certificate ({@link
 * #caCertificate()}, PEM) clients trust, and certificates it signs (SHA256withECDSA) for 127.0.0.1
 * and localhost. The CA's private key stays in memory. Keystores are PKCS12 (the JDK's) under a
 * password drawn per authority; a server's private key is also written as PEM (PKCS#8, mode 600)
 * for servers that read PEM, such as Quarkus and etcd. Every certificate serves both ends of a TLS
 * connection (server and client authentication), so one made for a principal also logs it in over
 * mutual TLS, where the broker takes the principal from the certificate's CN. Validity starts an
 * hour before issue, so that a process whose clock the fault matrix sets back a little still
 * accepts it.
 */
public final class TlsAuthority {

  private static final String SIGNATURE = "SHA256withECDSA";

  private static final Duration VALIDITY = Duration.ofDays(30);

  private static final Duration BACKDATED = Duration.ofHours(1);

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
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final SecureRandom random;

  /** Certificates issued, by name; read and written only under this object's lock. */
  private final java.util.Map<String, ServerCertificate> issued = new java.util.HashMap<>();

  private TlsAuthority(
      Path dir, String password, KeyPair caKeys, X509Certificate caCert, SecureRandom random) {
    this.dir = dir;
    this.password = password;
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.random = random;
  }

  /**
   * A new authority in {@code dir} (created if missing), its certificate written to {@link
   * #caCertificate()}.
   *
   * @throws SandboxException when the directory or the certificate cannot be written, or the JDK
   *     lacks EC P-256
   */
  public static TlsAuthority create(Path dir) {
    SecureRandom random = new SecureRandom();
    byte[] secret = new byte[18];
    random.nextBytes(secret);
    try {
      Files.createDirectories(dir);
      KeyPair keys = ecKeys(random);
      X500Name subject = commonName("kafka-dr sandbox CA");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(random),
              Date.from(now.minus(BACKDATED)),
              Date.from(now.plus(VALIDITY)),
              subject,
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ext.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate ca = sign(builder, keys.getPrivate());
      TlsAuthority authority =
          new TlsAuthority(
              dir,
              Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
              keys,
              ca,
              random);
      Files.writeString(authority.caCertificate(), pem(ca), StandardCharsets.US_ASCII);
      return authority;
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new SandboxException("cannot make the sandbox's CA in " + dir + ": " + e, e);
    }
  }

  /**
   * A PKCS12 trust store holding only the CA's certificate, under {@link #keyStorePassword()}, for
   * Kafka clients and servers (which read PKCS12 or JKS, not a PEM file, without extra settings);
   * made on first call.
   *
   * @throws SandboxException when the store cannot be written
   */
  public synchronized Path trustStore() {
    Path store = dir.resolve("truststore.p12");
    if (!Files.exists(store)) {
      try {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        save(trust, store);
      } catch (IOException | GeneralSecurityException e) {
        throw new SandboxException("cannot write " + store + ": " + e, e);
      }
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
   * @throws SandboxException when the certificate, its key or its keystore cannot be written
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
    try {
      KeyPair keys = ecKeys(random);
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              caCert,
              serial(random),
              Date.from(now.minus(BACKDATED)),
              Date.from(now.plus(VALIDITY)),
              commonName(name),
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder
          .addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(
                  new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")
                  }))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(
                  new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                  }))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              ext.createSubjectKeyIdentifier(keys.getPublic()))
          .addExtension(
              Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate cert = sign(builder, caKeys.getPrivate());
      Path store = dir.resolve(name + ".p12");
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", caCert);
      ks.setKeyEntry(
          name, keys.getPrivate(), password.toCharArray(), new Certificate[] {cert, caCert});
      save(ks, store);
      Path chain = dir.resolve(name + "-chain.pem");
      Files.writeString(chain, pem(cert) + pem(caCert), StandardCharsets.US_ASCII);
      Path key = dir.resolve(name + "-key.pem");
      writeKey(keys.getPrivate(), key);
      return new ServerCertificate(chain, key, store);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new SandboxException("cannot write the certificate of " + name + ": " + e, e);
    }
  }

  private static KeyPair ecKeys(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private static X500Name commonName(String name) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
  }

  /** A positive serial number of 64 random bits (RFC 5280 allows up to 20 octets). */
  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(64, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private void save(KeyStore store, Path file) throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
  }

  private static void writeKey(PrivateKey privateKey, Path key) throws IOException {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new JcaPKCS8Generator(privateKey, null));
    }
    String pem = text.toString();
    Files.deleteIfExists(key);
    Files.createFile(
        key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, pem, StandardCharsets.US_ASCII);
  }
}
