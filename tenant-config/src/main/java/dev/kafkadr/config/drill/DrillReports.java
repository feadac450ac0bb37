package dev.kafkadr.config.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The drill reports of every tenant as a tamper-evident chain: per tenant, report {@code n} (a JSON
 * file {@code <tenant>/<n, six digits>-<drill id>.json}) carries {@code sequence} n and {@code
 * previousSha256}, the SHA-256 of report n-1's bytes (null for the first), and is signed with
 * Ed25519 (the JDK's, RFC 8032) in {@code <same name>.sig} (base64 of the 64-byte signature over
 * the file's bytes). Editing a report breaks its signature and the next report's hash; recomputing
 * every later hash still breaks every signature, which only the holder of the private key can make.
 *
 * <p>The key pair is made on first use and kept beside the reports ({@code drill-signing.key},
 * PKCS#8, readable by its owner only; {@code drill-signing.pub}, the public key as PEM, to
 * publish).
 */
public final class DrillReports {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String PRIVATE_KEY = "drill-signing.key";
  private static final String PUBLIC_KEY = "drill-signing.pub";

  private final Path dir;
  private final KeyPair keys;

  /**
   * The reports under {@code dir}, signed with the key pair kept there (made when absent).
   *
   * @throws UncheckedIOException when the directory or the key cannot be read or written
   */
  public DrillReports(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      this.keys = loadOrMake(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("drill reports in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A written report: its file, the SHA-256 of its bytes (hex) and its place in the chain. */
  public record Written(Path file, String sha256, long sequence) {}

  /** Why a chain does not hold: the first report that does not match, and what is wrong with it. */
  public record Broken(String report, String why) {}

  /**
   * Appends {@code report} to {@code tenant}'s chain: adds {@code sequence}, {@code previousSha256}
   * and {@code publicKeySha256}, writes the file and its signature.
   *
   * @param id the drill's id, part of the file name
   */
  public synchronized Written append(String tenant, String id, Map<String, Object> report) {
    try {
      Path tenantDir = dir.resolve(tenant);
      Files.createDirectories(tenantDir);
      List<Path> chain = reports(tenantDir);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("sequence", chain.size() + 1L);
      body.put(
          "previousSha256",
          chain.isEmpty() ? null : sha256(Files.readAllBytes(chain.get(chain.size() - 1))));
      body.put("publicKeySha256", sha256(keys.getPublic().getEncoded()));
      body.putAll(report);
      byte[] bytes = JSON.writeValueAsBytes(body);
      Path file = tenantDir.resolve(String.format("%06d-%s.json", chain.size() + 1, id));
      Files.write(file, bytes, StandardOpenOption.CREATE_NEW);
      Files.writeString(
          signatureOf(file), Base64.getEncoder().encodeToString(sign(keys.getPrivate(), bytes)));
      return new Written(file, sha256(bytes), chain.size() + 1L);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("drill report of " + tenant + ": " + e.getMessage(), e);
    }
  }

  /** The newest report of {@code tenant}, parsed, if any. */
  public Optional<JsonNode> latest(String tenant) {
    List<Path> chain = reports(dir.resolve(tenant));
    return chain.isEmpty() ? Optional.empty() : Optional.of(read(chain.get(chain.size() - 1)));
  }

  /** The newest report of every tenant that has one. */
  public List<Path> newest() {
    List<Path> out = new ArrayList<>();
    all().stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                Path::getParent, java.util.TreeMap::new, java.util.stream.Collectors.toList()))
        .values()
        .forEach(chain -> out.add(chain.get(chain.size() - 1)));
    return out;
  }

  /** Every report of every tenant, oldest first per tenant. */
  public List<Path> all() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> tenants = Files.list(dir)) {
      tenants.filter(Files::isDirectory).sorted().forEach(t -> out.addAll(reports(t)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}), for auditors. */
  public String publicKeyPem() {
    return pem(keys.getPublic());
  }

  /** A report file parsed. */
  public static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("drill report " + file + ": " + e.getMessage(), e);
    }
  }

  /** The reports of one tenant's directory in chain order. */
  public static List<Path> reports(Path tenantDir) {
    if (!Files.isDirectory(tenantDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(tenantDir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("\\d{6}-.+\\.json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks one tenant's chain: every report signed by {@code key}, numbered 1, 2, ... in order, and
   * carrying the SHA-256 of the one before it; where {@code publishedHeads} (SHA-256s published
   * elsewhere when each report was written, e.g. the audit log) is given, every report's hash must
   * be among them.
   *
   * @return the first report that does not match, or empty when the whole chain holds
   */
  public static Optional<Broken> verify(
      Path tenantDir, PublicKey key, Optional<java.util.Set<String>> publishedHeads) {
    String previous = null;
    long expected = 1;
    for (Path file : reports(tenantDir)) {
      String name = file.getFileName().toString();
      try {
        byte[] bytes = Files.readAllBytes(file);
        Path sig = signatureOf(file);
        if (!Files.exists(sig)) {
          return Optional.of(
              new Broken(name, "its signature file " + sig.getFileName() + " is missing"));
        }
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(bytes);
        if (!verifier.verify(Base64.getDecoder().decode(Files.readString(sig).strip()))) {
          return Optional.of(new Broken(name, "its signature does not match its contents"));
        }
        JsonNode report = JSON.readTree(bytes);
        if (report.path("sequence").asLong() != expected) {
          return Optional.of(
              new Broken(
                  name, "sequence " + report.path("sequence").asLong() + ", expected " + expected));
        }
        String says =
            report.path("previousSha256").isNull() ? null : report.path("previousSha256").asText();
        if (!java.util.Objects.equals(says, previous)) {
          return Optional.of(
              new Broken(
                  name, "previousSha256 " + says + " is not the previous report's " + previous));
        }
        previous = sha256(bytes);
        if (publishedHeads.isPresent() && !publishedHeads.get().contains(previous)) {
          return Optional.of(new Broken(name, "its SHA-256 " + previous + " was never published"));
        }
      } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
        return Optional.of(new Broken(name, "unreadable: " + e.getMessage()));
      }
      expected++;
    }
    return Optional.empty();
  }

  /** A public key from its PEM ({@link #publicKeyPem}). */
  public static PublicKey publicKey(String pem) {
    String base64 =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key in PEM: " + e.getMessage(), e);
    }
  }

  /** The SHA-256 of {@code bytes}, lower-case hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The signature file of a report. */
  public static Path signatureOf(Path report) {
    return report.resolveSibling(report.getFileName() + ".sig");
  }

  private static byte[] sign(PrivateKey key, byte[] bytes) throws GeneralSecurityException {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key);
    signer.update(bytes);
    return signer.sign();
  }

  private static KeyPair loadOrMake(Path dir) throws IOException {
    Path priv = dir.resolve(PRIVATE_KEY);
    Path pub = dir.resolve(PUBLIC_KEY);
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      if (Files.exists(priv) && Files.exists(pub)) {
        return new KeyPair(
            publicKey(Files.readString(pub)),
            factory.generatePrivate(
                new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(Files.readString(priv).strip()))));
      }
      KeyPair made = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      Path tmp = Files.createTempFile(dir, PRIVATE_KEY, ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: left as the directory's defaults
      }
      Files.writeString(tmp, Base64.getEncoder().encodeToString(made.getPrivate().getEncoded()));
      Files.move(tmp, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(pub, pem(made.getPublic()));
      return made;
    } catch (GeneralSecurityException e) {
      throw new IOException("the drill signing key in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
