package dev.kafkadr.controller.traffic;

import dev.kafkadr.config.TenantsFile;
import dev.kafkadr.config.Traffic;
import dev.kafkadr.controller.registry.BootstrapRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Moves a tenant's clients to another cluster: first its DNS bootstrap record, when the tenant has
 * one (through the provider the tenants file names, waiting until the provider has made the
 * change), then the bootstrap registry that the {@code kdr} ConfigProvider and the client helper
 * follow. A DNS refusal stops the move before the registry changes, so nothing claims a switch that
 * did not happen.
 */
public final class TrafficSwitch {

  /**
   * What a move did, or in a dry run would do.
   *
   * @param tenant the tenant
   * @param from the cluster its clients used
   * @param to the cluster they use now
   * @param steps one line per side effect, in order
   * @param dnsChange the DNS provider's change reference, empty without DNS or in a dry run
   * @param entry the registry entry after the move (in a dry run, the current one)
   * @param dnsTime time spent on DNS, including the wait for the provider
   */
  public record Move(
      String tenant,
      String from,
      String to,
      List<String> steps,
      Optional<String> dnsChange,
      BootstrapRegistry.Entry entry,
      Duration dnsTime) {}

  private final TenantsFile file;
  private final BootstrapRegistry registry;
  private final DnsSwitchers switchers;

  /** Moves {@code file}'s tenants, recording where they are in {@code registry}. */
  public TrafficSwitch(TenantsFile file, BootstrapRegistry registry, DnsSwitchers switchers) {
    this.file = file;
    this.registry = registry;
    this.switchers = switchers;
  }

  /**
   * Moves {@code tenant}'s clients to {@code cluster}; with {@code dryRun}, only says what it would
   * change (and reads the DNS record as it is now).
   *
   * @param progress receives one line per step as it happens
   * @throws DnsSwitchException when the DNS provider refuses or cannot be reached; the registry is
   *     then unchanged
   * @throws IllegalArgumentException for an unknown tenant or a cluster it is not replicated to
   */
  public Move move(String tenant, String cluster, boolean dryRun, Consumer<String> progress) {
    return move(tenant, cluster, dryRun, progress, kind -> {});
  }

  /**
   * {@link #move}, calling {@code beforeEffect} with {@code dns} before the DNS change and with
   * {@code registry} before the registry's: a workflow checks its leader lease there, and an
   * exception stops the move before that change.
   */
  public Move move(
      String tenant,
      String cluster,
      boolean dryRun,
      Consumer<String> progress,
      Consumer<String> beforeEffect) {
    BootstrapRegistry.Entry now =
        registry
            .get(tenant)
            .orElseThrow(() -> new IllegalArgumentException("no tenant \"" + tenant + "\""));
    registry.check(tenant, cluster);
    List<String> steps = new ArrayList<>();
    Consumer<String> step =
        line -> {
          steps.add(line);
          progress.accept(line);
        };
    Optional<String> change = Optional.empty();
    long started = System.nanoTime();
    Optional<Traffic.TenantTraffic> dns = file.traffic().tenant(tenant);
    if (dns.isPresent()) {
      Traffic.TenantTraffic t = dns.get();
      String target = file.traffic().dnsTarget(file.cluster(cluster));
      DnsSwitcher switcher =
          switchers.switcher(
              file.traffic().dns().get(t.dns()), weightedTargets(tenant), dryRun, step);
      Optional<String> before = switcher.current(t.record());
      step.accept(
          "DNS "
              + t.record()
              + " is "
              + before.orElse("(no CNAME)")
              + " on "
              + switcher.describe());
      // Conditioned on what was read: a switch by another replica meanwhile is not overwritten.
      if (!dryRun) {
        beforeEffect.accept("dns");
      }
      String ref = switcher.pointTo(t.record(), target, t.ttl(), before);
      if (!dryRun) {
        change = Optional.of(ref);
        step.accept("DNS " + t.record() + " -> " + target + " (TTL " + t.ttl().toSeconds() + "s)");
      }
    }
    Duration dnsTime = Duration.ofNanos(System.nanoTime() - started);
    BootstrapRegistry.Entry after = now;
    if (dryRun) {
      step.accept(
          "dry run: would move the bootstrap registry of "
              + tenant
              + " from "
              + now.cluster()
              + " to "
              + cluster
              + " (epoch "
              + (now.epoch() + 1)
              + ")");
    } else {
      beforeEffect.accept("registry");
      after = registry.switchTo(tenant, cluster);
      step.accept(
          "bootstrap registry: "
              + tenant
              + " -> "
              + cluster
              + " "
              + after.bootstrapServers()
              + " (epoch "
              + after.epoch()
              + ")");
    }
    return new Move(tenant, now.cluster(), cluster, List.copyOf(steps), change, after, dnsTime);
  }

  /**
   * What a drill's traffic check found: the probe record, the provider, its references for the
   * write and the removal, and the time the whole round took.
   */
  public record Probe(
      String record, String provider, String written, String removed, Duration took) {}

  /**
   * Proves that the tenant's DNS provider accepts a signed change now, without touching the
   * tenant's bootstrap name: writes the TXT record {@code _kdr-drill.<record>} holding a fresh
   * nonce, reads it back, removes it and reads it gone. Empty for a tenant without DNS traffic.
   *
   * @throws DnsSwitchException when the provider refuses, cannot be reached or reads back wrong
   */
  public Optional<Probe> probe(String tenant, Consumer<String> progress) {
    Optional<Traffic.TenantTraffic> dns = file.traffic().tenant(tenant);
    if (dns.isEmpty()) {
      return Optional.empty();
    }
    long started = System.nanoTime();
    DnsSwitcher switcher =
        switchers.switcher(
            file.traffic().dns().get(dns.get().dns()), weightedTargets(tenant), false, progress);
    String record = "_kdr-drill." + dns.get().record();
    String nonce = "kdr-drill " + java.util.UUID.randomUUID();
    Duration ttl = Duration.ofSeconds(60);
    String written = switcher.writeTxt(record, nonce, ttl);
    if (!switcher.txt(record).contains(nonce)) {
      throw new DnsSwitchException(
          switcher.describe() + " accepted TXT " + record + " but it does not read back");
    }
    String removed = switcher.deleteTxt(record, nonce, ttl);
    if (switcher.txt(record).contains(nonce)) {
      throw new DnsSwitchException(
          switcher.describe() + " accepted the removal of TXT " + record + " but it still reads");
    }
    return Optional.of(
        new Probe(
            record,
            switcher.describe(),
            written,
            removed,
            Duration.ofNanos(System.nanoTime() - started)));
  }

  /** Every cluster the tenant is replicated between, by alias, to its DNS target. */
  private Map<String, String> weightedTargets(String tenant) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String alias : registry.clusters(tenant)) {
      out.put(alias, file.traffic().dnsTarget(file.cluster(alias)));
    }
    return out;
  }
}
