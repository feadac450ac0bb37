package dev.kafkadr.controller.traffic;

import dev.kafkadr.config.Traffic;
import dev.kafkadr.config.Traffic.DnsProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Builds the {@link DnsSwitcher} for a DNS provider of the tenants file: RFC 2136 with its TSIG
 * secret read through Kafka's {@code file} or {@code env} ConfigProvider when the switcher is built
 * (never logged, hidden in {@link TsigKey#toString()}), Route 53 with the AWS SDK's default
 * credentials.
 */
public final class DnsSwitchers {

  private static final Duration DNS_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration ROUTE53_POLL = Duration.ofSeconds(5);
  private static final Duration ROUTE53_WAIT = Duration.ofMinutes(5);

  private final AwsCredentialsProvider credentials;

  /** Switchers whose Route 53 calls sign with {@code credentials}. */
  public DnsSwitchers(AwsCredentialsProvider credentials) {
    this.credentials = credentials;
  }

  /** Switchers with the AWS SDK's default credentials chain (env, profile, web identity, IMDS). */
  public static DnsSwitchers withDefaultCredentials() {
    return new DnsSwitchers(DefaultCredentialsProvider.builder().build());
  }

  /**
   * The switcher for {@code provider}.
   *
   * @param weightedTargets for a weighted Route 53 provider: set identifier (cluster alias) to the
   *     name its record points at
   * @param dryRun a switcher that only describes its changes to {@code journal}
   */
  public DnsSwitcher switcher(
      DnsProvider provider,
      Map<String, String> weightedTargets,
      boolean dryRun,
      Consumer<String> journal) {
    if (provider.type() == Traffic.DnsType.ROUTE53) {
      var route53 =
          new Route53Switcher(
              Route53Switcher.client(
                  provider.endpoint() == null ? null : URI.create(provider.endpoint()),
                  credentials,
                  5),
              provider.hostedZoneId(),
              ROUTE53_POLL,
              ROUTE53_WAIT,
              dryRun,
              journal);
      return provider.routing() == Traffic.Routing.WEIGHTED
          ? route53.weighted(weightedTargets)
          : route53;
    }
    String server = provider.server();
    int colon = server.lastIndexOf(':');
    boolean hasPort = colon > 0 && !server.endsWith("]");
    String host = hasPort ? server.substring(0, colon) : server;
    int port = hasPort ? Integer.parseInt(server.substring(colon + 1)) : 53;
    Rfc2136Switcher rfc2136 =
        new Rfc2136Switcher(
            host.replace("[", "").replace("]", ""),
            port,
            provider.zone(),
            key(provider),
            DNS_TIMEOUT);
    return dryRun ? new DryRun(rfc2136, journal) : rfc2136;
  }

  /**
   * The TSIG key as the provider names it, read now: the secret behind its reference and, where the
   * key name is a reference too, the name, both in one read, so that a key rotated under a new name
   * (the windowless way, runbooks/secret-rotation.md) is picked up whole at the next change.
   */
  static TsigKey key(DnsProvider provider) {
    boolean nameIsReference = dev.kafkadr.config.Secrets.isReference(provider.tsigName());
    var references = new java.util.LinkedHashMap<String, String>();
    references.put("secret", provider.tsigSecret());
    if (nameIsReference) {
      references.put("name", provider.tsigName());
    }
    var values = dev.kafkadr.config.Secrets.resolveTogether(references);
    for (var field : references.entrySet()) {
      if (!values.containsKey(field.getKey())) {
        throw new DnsSwitchException(
            "traffic.dns."
                + provider.name()
                + ".tsig."
                + field.getKey()
                + ": "
                + field.getValue()
                + " resolves to nothing (only file and env references are read by the"
                + " controller)");
      }
    }
    String name = nameIsReference ? values.get("name") : provider.tsigName();
    return new TsigKey(name, provider.tsigAlgorithm(), values.get("secret"));
  }

  /** An RFC 2136 switcher that reads the current record but only describes its updates. */
  private record DryRun(DnsSwitcher real, Consumer<String> journal) implements DnsSwitcher {
    @Override
    public String pointTo(String name, String target, Duration ttl) {
      journal.accept(
          "dry run: would update "
              + name
              + " CNAME "
              + target
              + " TTL "
              + ttl.toSeconds()
              + " on "
              + real.describe());
      return "dry run";
    }

    @Override
    public String pointTo(
        String name, String target, Duration ttl, java.util.Optional<String> expected) {
      return pointTo(name, target, ttl);
    }

    @Override
    public java.util.Optional<String> current(String name) {
      return real.current(name);
    }

    @Override
    public String writeTxt(String name, String value, Duration ttl) {
      journal.accept("dry run: would write TXT " + name + " on " + real.describe());
      return "dry run";
    }

    @Override
    public String deleteTxt(String name, String value, Duration ttl) {
      journal.accept("dry run: would delete TXT " + name + " on " + real.describe());
      return "dry run";
    }

    @Override
    public java.util.List<String> txt(String name) {
      return real.txt(name);
    }

    @Override
    public String describe() {
      return real.describe();
    }
  }
}
