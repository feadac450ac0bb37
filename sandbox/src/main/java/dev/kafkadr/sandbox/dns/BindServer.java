package dev.kafkadr.sandbox.dns;

import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.StackDescription;
import dev.kafkadr.sandbox.process.ChildProcess;
import dev.kafkadr.sandbox.process.FreePorts;
import dev.kafkadr.sandbox.process.Io;
import dev.kafkadr.sandbox.process.NativeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real BIND {@code named}, authoritative for the sandbox zone on 127.0.0.1, accepting RFC 2136
 * dynamic updates signed with a TSIG key generated for this sandbox.
 *
 * <p>{@code named} is not a JVM: it runs as a {@link NativeServer}, stopped by PID when the
 * sandbox's pipe closes.
 */
public final class BindServer {

  /** The zone the sandbox serves. */
  public static final String ZONE = "kdr.test.";

  /** Name of the TSIG key that may update the zone. */
  public static final String KEY_NAME = "kdr-sandbox-key.";

  /** TSIG algorithm of the key. */
  public static final String ALGORITHM = "hmac-sha256";

  private static final String ROLE = "dns";
  private final Path dir;
  private final int port;
  private final Path keyFile;
  private final ChildProcess process;

  /** TSIG keys that may update the zone, name to base64 secret, the newest first. */
  private final java.util.LinkedHashMap<String, String> keys = new java.util.LinkedHashMap<>();

  private BindServer(Path dir, Path named) {
    this.dir = dir;
    this.port = FreePorts.allocate(1, true).get(0);
    this.keyFile = dir.resolve("tsig.key");
    try {
      Files.createDirectories(dir);
      keys.put(KEY_NAME, newSecret());
      writeKeyFile();
      Files.writeString(dir.resolve("kdr.test.zone"), zoneFile());
      Files.writeString(dir.resolve("named.conf"), namedConf());
      this.process =
          NativeServer.prepare(
              ROLE,
              dir,
              List.of(
                  named.toString(), "-g", "-n", "1", "-c", dir.resolve("named.conf").toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the DNS configuration in " + dir, e);
    }
  }

  /** A server prepared in {@code dir}, or empty when {@code named} is not installed. */
  public static Optional<BindServer> prepare(Path dir) {
    return findNamed().map(named -> new BindServer(dir, named));
  }

  /** Where {@code named} is installed, if it is. */
  public static Optional<Path> findNamed() {
    Stream<Path> candidates =
        Stream.concat(
            Stream.of(Path.of("/usr/sbin/named")),
            Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(s -> !s.isEmpty())
                .map(p -> Path.of(p, "named")));
    return candidates.filter(Files::isExecutable).findFirst();
  }

  /** Starts {@code named}. */
  public void start() {
    process.start();
  }

  /** Waits until {@code named} answers an SOA query for the zone. */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new SandboxException(
            "dns (named) exited during start-up; last lines of "
                + process.logFile()
                + ":\n"
                + process.tail(30));
      }
      if (answersSoa()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new SandboxException(
            "dns (named) not answering on 127.0.0.1:"
                + port
                + " after "
                + timeout
                + "; last lines:\n"
                + process.tail(30));
      }
      Io.sleep(100);
    }
  }

  private boolean answersSoa() {
    try {
      SimpleResolver resolver = new SimpleResolver("127.0.0.1");
      resolver.setPort(port);
      resolver.setTimeout(Duration.ofMillis(500));
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString(ZONE), Type.SOA, DClass.IN));
      Message answer = resolver.send(query);
      return answer.getRcode() == Rcode.NOERROR && !answer.getSection(Section.ANSWER).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** The server process. */
  public ChildProcess process() {
    return process;
  }

  /** The UDP and TCP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /**
   * Adds a TSIG key that may update the zone next to those there, or gives a key already there a
   * new secret, and has {@code named} reload its configuration (SIGHUP to its PID). The reload is
   * asynchronous: callers wait until an update signed with the new key is accepted.
   *
   * @param name the key name, e.g. {@code kdr-sandbox-key-2.}
   * @return the new secret, base64 (a secret: never log it)
   */
  public synchronized String putKey(String name) {
    String secret = newSecret();
    keys.remove(name);
    var newestFirst = new java.util.LinkedHashMap<String, String>();
    newestFirst.put(name, secret);
    newestFirst.putAll(keys);
    keys.clear();
    keys.putAll(newestFirst);
    reconfigure();
    return secret;
  }

  /**
   * Removes a TSIG key: updates signed with it are refused once {@code named} has reloaded.
   *
   * @throws IllegalArgumentException when it is the only key or not a key of the zone
   */
  public synchronized void removeKey(String name) {
    if (!keys.containsKey(name) || keys.size() == 1) {
      throw new IllegalArgumentException(
          "cannot remove TSIG key " + name + ": the zone's keys are " + keys.keySet());
    }
    keys.remove(name);
    reconfigure();
  }

  private void reconfigure() {
    long pid = process.pid();
    if (pid <= 0 || !process.isAlive()) {
      throw new IllegalStateException("named is not running: start it before changing its keys");
    }
    try {
      writeKeyFile();
      // Replaced in one rename: a reload still reading the previous one never sees half a file.
      Path next = dir.resolve("named.conf.next");
      Files.writeString(next, namedConf());
      Files.move(
          next,
          dir.resolve("named.conf"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the DNS configuration in " + dir, e);
    }
    dev.kafkadr.sandbox.process.Signals.hangUp(pid);
  }

  /** The BIND key file holding the TSIG keys, the newest first (mode 600). */
  public Path keyFile() {
    return keyFile;
  }

  /** The server as it appears in the stack description (the key by file, never by value). */
  public StackDescription.Dns describe() {
    return new StackDescription.Dns(
        ROLE, "127.0.0.1", port, ZONE, newestKey(), ALGORITHM, keyFile.toString());
  }

  /** The server process as it appears in the stack description. */
  public StackDescription.Proc describeProcess() {
    return new StackDescription.Proc(
        ROLE,
        process.pid(),
        process.launcherPid(),
        List.of(port),
        dir.toString(),
        process.logFile().toString());
  }

  private synchronized String newestKey() {
    return keys.keySet().iterator().next();
  }

  private static String newSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return Base64.getEncoder().encodeToString(secret);
  }

  private void writeKeyFile() throws IOException {
    StringBuilder text = new StringBuilder();
    keys.forEach(
        (name, secret) ->
            text.append("key \"")
                .append(name)
                .append("\" {\n  algorithm ")
                .append(ALGORITHM)
                .append(";\n  secret \"")
                .append(secret)
                .append("\";\n};\n"));
    Path next = keyFile.resolveSibling("tsig.key.next");
    Files.deleteIfExists(next);
    Files.createFile(
        next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(next, text);
    Files.move(
        next,
        keyFile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private String namedConf() {
    String d = dir.toString();
    return String.join(
        "\n",
        "// Written by the kafka-dr sandbox.",
        "include \"" + keyFile + "\";",
        "options {",
        "  directory \"" + d + "\";",
        "  pid-file \"" + d + "/named.pid\";",
        "  session-keyfile \"" + d + "/session.key\";",
        "  managed-keys-directory \"" + d + "\";",
        "  listen-on port " + port + " { 127.0.0.1; };",
        "  listen-on-v6 { none; };",
        "  recursion no;",
        "  allow-query { 127.0.0.1; };",
        "  dnssec-validation no;",
        "  notify no;",
        "};",
        "controls { };",
        "zone \"" + ZONE + "\" {",
        "  type primary;",
        "  file \"" + d + "/kdr.test.zone\";",
        "  allow-update { "
            + keys.keySet().stream()
                .map(k -> "key \"" + k + "\"; ")
                .collect(java.util.stream.Collectors.joining())
            + "};",
        "};",
        "");
  }

  private static String zoneFile() {
    return String.join(
        "\n",
        "$TTL 30",
        "@ IN SOA ns1." + ZONE + " hostmaster." + ZONE + " ( 1 60 60 3600 30 )",
        "@ IN NS ns1." + ZONE,
        "ns1 IN A 127.0.0.1",
        "primary IN A 127.0.0.1",
        "secondary IN A 127.0.0.1",
        "");
  }
}
