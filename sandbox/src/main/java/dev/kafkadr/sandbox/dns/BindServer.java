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

  private BindServer(Path dir, Path named) {
    this.dir = dir;
    this.port = FreePorts.allocate(1, true).get(0);
    this.keyFile = dir.resolve("tsig.key");
    try {
      Files.createDirectories(dir);
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

  /** The BIND key file holding the TSIG secret (mode 600). */
  public Path keyFile() {
    return keyFile;
  }

  /** The server as it appears in the stack description (the key by file, never by value). */
  public StackDescription.Dns describe() {
    return new StackDescription.Dns(
        ROLE, "127.0.0.1", port, ZONE, KEY_NAME, ALGORITHM, keyFile.toString());
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

  private void writeKeyFile() throws IOException {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String text =
        "key \""
            + KEY_NAME
            + "\" {\n  algorithm "
            + ALGORITHM
            + ";\n  secret \""
            + Base64.getEncoder().encodeToString(secret)
            + "\";\n};\n";
    Files.deleteIfExists(keyFile);
    Files.createFile(
        keyFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, text);
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
        "  allow-update { key \"" + KEY_NAME + "\"; };",
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
