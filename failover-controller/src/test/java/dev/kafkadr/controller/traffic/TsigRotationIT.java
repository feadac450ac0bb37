package dev.kafkadr.controller.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.Traffic;
import dev.kafkadr.sandbox.dns.BindServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rotating the TSIG key of RFC 2136 updates against a real BIND while the controller's switcher
 * keeps changing a record (one change every 20 ms, each reading the key behind the tenants file's
 * references as the controller does at each switch): under a new key name, no update is refused;
 * under the same name, the window between BIND's reload and the new secret in the controller's file
 * is measured with the updates refused in it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TsigRotationIT {

  private static final Duration PACE = Duration.ofMillis(20);

  /** One for the run, as the controller holds one: each switch reads the key again. */
  private static final DnsSwitchers SWITCHERS = DnsSwitchers.withDefaultCredentials();

  private static final String RECORD = "rotation-bootstrap." + BindServer.ZONE;

  private static Path work;
  private static BindServer bind;
  private static Path secrets;
  private static Traffic.DnsProvider provider;
  private static ScheduledExecutorService load;
  private static final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

  /** One update the load made: when it was answered (ns, monotonic) and whether BIND took it. */
  private record Outcome(long atNanos, boolean accepted, String refusal) {}

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("kdr-tsig-rotation");
    bind =
        BindServer.prepare(work.resolve("dns"))
            .orElseThrow(
                () -> new AssertionError("BIND's named is not installed: apt-get install bind9"));
    bind.start();
    bind.awaitReady(Duration.ofSeconds(30));
    TsigKey first = TsigKey.fromBindKeyFile(bind.keyFile());
    secrets = work.resolve("tsig.properties");
    writeSecrets(first.name(), first.secret());
    provider =
        new Traffic.DnsProvider(
            "corp-dns",
            Traffic.DnsType.RFC2136,
            "127.0.0.1:" + bind.port(),
            BindServer.ZONE,
            "${file:" + secrets + ":name}",
            BindServer.ALGORITHM,
            "${file:" + secrets + ":secret}",
            null,
            null,
            null);
    AtomicInteger n = new AtomicInteger();
    load = Executors.newSingleThreadScheduledExecutor();
    load.scheduleWithFixedDelay(
        () -> update(n.getAndIncrement()), 0, PACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @AfterAll
  static void stop() {
    if (load != null) {
      load.shutdownNow();
    }
    if (bind != null) {
      bind.process().stop(Duration.ofSeconds(5));
    }
  }

  /** The controller's way: a switcher for this change, the key read behind the references. */
  private static void update(int n) {
    String target = (n % 2 == 0 ? "primary." : "secondary.") + BindServer.ZONE;
    try {
      SWITCHERS
          .switcher(provider, Map.of(), false, line -> {})
          .pointTo(RECORD, target, Duration.ofSeconds(5));
      outcomes.add(new Outcome(System.nanoTime(), true, ""));
    } catch (RuntimeException e) {
      outcomes.add(new Outcome(System.nanoTime(), false, String.valueOf(e.getMessage())));
    }
  }

  /** The operator's way: the file the references name replaced in one rename, mode 600. */
  private static void writeSecrets(String name, String secret) throws Exception {
    Path next = secrets.resolveSibling("tsig.properties.next");
    Files.deleteIfExists(next);
    Files.createFile(
        next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(next, "name=" + name + "\nsecret=" + secret + "\n");
    Files.move(next, secrets, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether BIND takes an update signed with {@code key} now (so its reload has happened). */
  private static boolean accepts(TsigKey key) {
    try {
      new Rfc2136Switcher("127.0.0.1", bind.port(), BindServer.ZONE, key, Duration.ofSeconds(5))
          .pointTo("probe." + BindServer.ZONE, "primary." + BindServer.ZONE, Duration.ofSeconds(5));
      return true;
    } catch (DnsSwitchException e) {
      return false;
    }
  }

  private static List<Outcome> since(long nanos) {
    return outcomes.stream().filter(o -> o.atNanos() >= nanos).toList();
  }

  private static long refused(List<Outcome> of) {
    return of.stream().filter(o -> !o.accepted()).count();
  }

  private static void awaitAcceptedAfter(long nanos, int count) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> since(nanos).stream().filter(Outcome::accepted).count() >= count);
  }

  @Test
  @Order(1)
  void aKeyRotatedUnderANewNameIsPickedUpAtTheNextChangeWithNoUpdateRefused() throws Exception {
    long begin = System.nanoTime();
    awaitAcceptedAfter(begin, 10);
    TsigKey old = TsigKey.fromBindKeyFile(bind.keyFile());
    String newName = "kdr-sandbox-key-2.";
    TsigKey next = new TsigKey(newName, BindServer.ALGORITHM, bind.putKey(newName));
    await().atMost(Duration.ofSeconds(20)).until(() -> accepts(next));

    long written = System.nanoTime();
    writeSecrets(next.name(), next.secret());
    awaitAcceptedAfter(written, 5);
    long pickedUp = since(written).get(0).atNanos() - written;

    bind.removeKey(old.name());
    await().atMost(Duration.ofSeconds(20)).until(() -> !accepts(old));
    long retired = System.nanoTime();
    awaitAcceptedAfter(retired, 10);

    List<Outcome> during = since(begin);
    System.out.printf(
        "TSIG rotation under a new name: %d updates during it (one each %d ms), %d refused;"
            + " the first update after the file changed came %d ms later and was accepted;"
            + " %d updates after the old key was removed, all signed with the new one%n",
        during.size(),
        PACE.toMillis(),
        refused(during),
        pickedUp / 1_000_000,
        since(retired).size());
    assertThat(refused(during))
        .as("updates refused during a rotation under a new name: %s", during)
        .isZero();
    assertThat(since(retired)).allMatch(Outcome::accepted);
  }

  @Test
  @Order(2)
  void aSecretChangedUnderTheSameNameLeavesAWindowThatIsMeasured() throws Exception {
    TsigKey current = TsigKey.fromBindKeyFile(bind.keyFile());
    long begin = System.nanoTime();
    awaitAcceptedAfter(begin, 5);
    TsigKey next = new TsigKey(current.name(), BindServer.ALGORITHM, bind.putKey(current.name()));
    long reloaded = System.nanoTime();
    await().atMost(Duration.ofSeconds(20)).until(() -> accepts(next));
    // The operator's second step comes later: the window is open until then.
    await().atMost(Duration.ofSeconds(20)).until(() -> refused(since(reloaded)) >= 5);
    long written = System.nanoTime();
    writeSecrets(next.name(), next.secret());
    awaitAcceptedAfter(written, 10);

    List<Outcome> window = since(reloaded).stream().filter(o -> o.atNanos() < written).toList();
    long firstRefused =
        window.stream().filter(o -> !o.accepted()).findFirst().orElseThrow().atNanos();
    Outcome firstAccepted =
        since(written).stream().filter(Outcome::accepted).findFirst().orElseThrow();
    String reason =
        window.stream()
            .filter(o -> !o.accepted())
            .map(o -> o.refusal().replaceAll("[0-9]+", "N"))
            .distinct()
            .toList()
            .toString();
    System.out.printf(
        "TSIG secret changed under the same name: window %d ms (first refused update to the"
            + " first accepted one), %d updates refused in it, the first accepted %d ms after the"
            + " file changed; the refusals: %s%n",
        (firstAccepted.atNanos() - firstRefused) / 1_000_000,
        refused(window),
        (firstAccepted.atNanos() - written) / 1_000_000,
        reason);
    assertThat(refused(window)).as("updates refused in the same-name window").isPositive();
    assertThat(reason).doesNotContain(next.secret()).doesNotContain(current.secret());
    List<Outcome> after =
        since(written).stream().filter(o -> o.atNanos() >= firstAccepted.atNanos()).toList();
    assertThat(after).as("updates once the new secret was read").allMatch(Outcome::accepted);
  }
}
