package dev.kafkadr.controller.traffic;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeBatch;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.GetChangeResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/**
 * Amazon Route 53: UPSERTs the tenant's bootstrap CNAME in one change batch, then waits with the
 * SDK's waiter until Route 53 reports the change INSYNC (propagated to all its name servers).
 * Throttling is retried with the SDK's standard backoff; access denied, a missing hosted zone and a
 * rejected batch become clear errors. With dry run, the change batch is described and not sent.
 */
public final class Route53Switcher implements DnsSwitcher {

  private final Route53Client route53;
  private final String hostedZoneId;
  private final Duration pollInterval;
  private final Duration waitTimeout;
  private final boolean dryRun;
  private final Consumer<String> journal;
  private final Map<String, String> weighted;

  /**
   * A switcher for one hosted zone.
   *
   * @param pollInterval between two reads of the change's status
   * @param waitTimeout longest wait for INSYNC
   * @param dryRun describe the change batch to {@code journal} instead of sending it
   * @param journal receives one line per change made or, in dry run, planned
   */
  public Route53Switcher(
      Route53Client route53,
      String hostedZoneId,
      Duration pollInterval,
      Duration waitTimeout,
      boolean dryRun,
      Consumer<String> journal) {
    this.route53 = route53;
    this.hostedZoneId = hostedZoneId;
    this.pollInterval = pollInterval;
    this.waitTimeout = waitTimeout;
    this.dryRun = dryRun;
    this.journal = journal;
    this.weighted = Map.of();
  }

  private Route53Switcher(Route53Switcher simple, Map<String, String> weighted) {
    this.route53 = simple.route53;
    this.hostedZoneId = simple.hostedZoneId;
    this.pollInterval = simple.pollInterval;
    this.waitTimeout = simple.waitTimeout;
    this.dryRun = simple.dryRun;
    this.journal = simple.journal;
    this.weighted = java.util.Collections.unmodifiableMap(new TreeMap<>(weighted));
  }

  /**
   * The same switcher for weighted records: one CNAME per set identifier ({@code targets}: set
   * identifier, usually the cluster alias, to the name it points at); a switch gives the record
   * whose target is the new one weight 1 and every other weight 0, in one change batch, so that
   * Route 53 never answers with two clusters or none.
   */
  public Route53Switcher weighted(Map<String, String> targets) {
    return new Route53Switcher(this, targets);
  }

  /**
   * A Route 53 client: the global endpoint unless {@code endpoint} is given, the JDK's HTTP client,
   * the standard retry strategy with {@code maxAttempts} (throttling backs off and retries).
   */
  public static Route53Client client(
      URI endpoint, AwsCredentialsProvider credentials, int maxAttempts) {
    var builder =
        Route53Client.builder()
            .region(Region.AWS_GLOBAL)
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(maxAttempts)
                            .build())
                    .build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  /** The change batch that points {@code name} at {@code target}. */
  public static ChangeBatch changeBatch(String name, String target, Duration ttl) {
    return ChangeBatch.builder()
        .comment("kafka-dr: point " + name + " at " + target)
        .changes(upsert(cname(name, target, ttl).build()))
        .build();
  }

  private static ResourceRecordSet.Builder cname(String name, String target, Duration ttl) {
    return ResourceRecordSet.builder()
        .name(name)
        .type(RRType.CNAME)
        .ttl(ttl.toSeconds())
        .resourceRecords(ResourceRecord.builder().value(target).build());
  }

  private static Change upsert(ResourceRecordSet set) {
    return Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set).build();
  }

  /**
   * The change batch that gives the weighted record pointing at {@code target} weight 1 and every
   * other of {@code targets} (set identifier to target) weight 0.
   */
  public static ChangeBatch weightedChangeBatch(
      String name, String target, Map<String, String> targets, Duration ttl) {
    if (!targets.containsValue(target)) {
      throw new DnsSwitchException(
          name + ": " + target + " is none of the weighted records' targets " + targets.values());
    }
    List<Change> changes = new ArrayList<>();
    targets.forEach(
        (id, value) ->
            changes.add(
                upsert(
                    cname(name, value, ttl)
                        .setIdentifier(id)
                        .weight(value.equals(target) ? 1L : 0L)
                        .build())));
    return ChangeBatch.builder()
        .comment("kafka-dr: weight " + name + " to " + target)
        .changes(changes)
        .build();
  }

  @Override
  public String pointTo(String name, String target, Duration ttl) {
    ChangeBatch batch =
        weighted.isEmpty()
            ? changeBatch(name, target, ttl)
            : weightedChangeBatch(name, target, weighted, ttl);
    String what = weighted.isEmpty() ? " CNAME " : " weighted CNAME (weight 1) ";
    if (dryRun) {
      journal.accept(
          "dry run: would UPSERT "
              + name
              + what
              + target
              + " TTL "
              + ttl.toSeconds()
              + " in hosted zone "
              + hostedZoneId);
      return "dry run";
    }
    return send(batch, name, "UPSERT " + name + what + target);
  }

  /**
   * Made only if {@code name} is still a CNAME of {@code expected}: one change batch that DELETEs
   * the record set exactly as read (Route 53 refuses the whole batch when it no longer matches) and
   * CREATEs the new one; with {@code expected} empty, a CREATE alone (refused when a record set
   * exists). Weighted records are switched by UPSERT, unconditioned.
   */
  @Override
  public String pointTo(String name, String target, Duration ttl, Optional<String> expected) {
    if (!weighted.isEmpty() || dryRun) {
      return pointTo(name, target, ttl);
    }
    Optional<ResourceRecordSet> now = cnameSet(name);
    Optional<String> value =
        now.flatMap(n -> n.resourceRecords().stream().map(ResourceRecord::value).findFirst());
    if (!value.map(Route53Switcher::bare).equals(expected.map(Route53Switcher::bare))) {
      throw anotherSwitch(name, expected, value);
    }
    List<Change> changes = new ArrayList<>();
    now.ifPresent(
        n ->
            changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(n).build()));
    changes.add(
        Change.builder()
            .action(ChangeAction.CREATE)
            .resourceRecordSet(cname(name, target, ttl).build())
            .build());
    ChangeBatch batch =
        ChangeBatch.builder()
            .comment(
                "kafka-dr: point " + name + " at " + target + " if still " + value.orElse("none"))
            .changes(changes)
            .build();
    try {
      return send(
          batch,
          name,
          (now.isPresent() ? "DELETE " + name + " CNAME " + value.get() + " + " : "")
              + "CREATE "
              + name
              + " CNAME "
              + target);
    } catch (DnsSwitchException e) {
      if (e.getCause() instanceof Route53Exception r
          && r.awsErrorDetails() != null
          && "InvalidChangeBatch".equals(r.awsErrorDetails().errorCode())) {
        DnsSwitchException refused =
            anotherSwitch(name, expected, cnameSet(name).flatMap(Route53Switcher::firstValue));
        throw new DnsSwitchException(
            refused.getMessage() + " (Route 53: " + r.awsErrorDetails().errorMessage() + ")", r);
      }
      throw e;
    }
  }

  private DnsSwitchException anotherSwitch(
      String name, Optional<String> expected, Optional<String> now) {
    return new DnsSwitchException(
        "update of "
            + name
            + " on "
            + describe()
            + " not made: it is no longer "
            + expected.map(e -> "a CNAME of " + e).orElse("without a CNAME")
            + " as read before the switch (now "
            + now.orElse("no CNAME")
            + "): another switch came first");
  }

  private static Optional<String> firstValue(ResourceRecordSet set) {
    return set.resourceRecords().stream().map(ResourceRecord::value).findFirst();
  }

  private static String bare(String name) {
    return name.replaceAll("\\.$", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** The CNAME record set of {@code name} (not weighted), as Route 53 holds it now. */
  private Optional<ResourceRecordSet> cnameSet(String name) {
    return cnameSets(name, 1).stream().findFirst();
  }

  /** Up to {@code max} CNAME record sets of {@code name}, as Route 53 lists them. */
  private List<ResourceRecordSet> cnameSets(String name, int max) {
    try {
      return route53
          .listResourceRecordSets(
              r ->
                  r.hostedZoneId(hostedZoneId)
                      .startRecordName(name)
                      .startRecordType(RRType.CNAME)
                      .maxItems(String.valueOf(max)))
          .resourceRecordSets()
          .stream()
          .filter(set -> set.type() == RRType.CNAME && sameName(set.name(), name))
          .toList();
    } catch (Route53Exception e) {
      throw new DnsSwitchException(refusal(name, e), e);
    }
  }

  /**
   * Sends one change batch and waits until Route 53 reports it INSYNC; its change id. {@code what}
   * opens the journal line.
   */
  private String send(ChangeBatch batch, String name, String what) {
    ChangeInfo change;
    try {
      change =
          route53
              .changeResourceRecordSets(r -> r.hostedZoneId(hostedZoneId).changeBatch(batch))
              .changeInfo();
    } catch (Route53Exception e) {
      throw new DnsSwitchException(refusal(name, e), e);
    } catch (SdkClientException e) {
      throw new DnsSwitchException(
          "update of " + name + " on " + describe() + " not made: " + e.getMessage(), e);
    }
    journal.accept(what + ": change " + change.id() + " " + change.status());
    if (change.status() != ChangeStatus.INSYNC) {
      awaitInSync(name, change.id());
    }
    return change.id();
  }

  private void awaitInSync(String name, String changeId) {
    WaiterResponse<GetChangeResponse> waited;
    try {
      waited =
          route53
              .waiter()
              .waitUntilResourceRecordSetsChanged(
                  GetChangeRequest.builder().id(changeId).build(),
                  WaiterOverrideConfiguration.builder()
                      .waitTimeout(waitTimeout)
                      .maxAttempts(Integer.MAX_VALUE)
                      .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(pollInterval))
                      .build());
    } catch (Route53Exception e) {
      throw new DnsSwitchException(refusal(name, e), e);
    } catch (SdkClientException e) {
      throw new DnsSwitchException(
          "change "
              + changeId
              + " of "
              + name
              + " did not reach INSYNC within "
              + waitTimeout
              + ": "
              + e.getMessage(),
          e);
    }
    Optional<GetChangeResponse> response = waited.matched().response();
    if (response.isEmpty() || response.get().changeInfo().status() != ChangeStatus.INSYNC) {
      throw new DnsSwitchException(
          "change " + changeId + " of " + name + " did not reach INSYNC within " + waitTimeout);
    }
    journal.accept("change " + changeId + " of " + name + " INSYNC");
  }

  @Override
  public String writeTxt(String name, String value, Duration ttl) {
    return changeTxt(ChangeAction.UPSERT, name, value, ttl);
  }

  @Override
  public String deleteTxt(String name, String value, Duration ttl) {
    return changeTxt(ChangeAction.DELETE, name, value, ttl);
  }

  /** One TXT change (its value quoted, as Route 53 wants), waited for until INSYNC. */
  private String changeTxt(ChangeAction action, String name, String value, Duration ttl) {
    ResourceRecordSet set =
        ResourceRecordSet.builder()
            .name(name)
            .type(RRType.TXT)
            .ttl(ttl.toSeconds())
            .resourceRecords(ResourceRecord.builder().value("\"" + value + "\"").build())
            .build();
    ChangeBatch batch =
        ChangeBatch.builder()
            .comment("kafka-dr: drill probe " + name)
            .changes(Change.builder().action(action).resourceRecordSet(set).build())
            .build();
    if (dryRun) {
      journal.accept(
          "dry run: would " + action + " " + name + " TXT in hosted zone " + hostedZoneId);
      return "dry run";
    }
    return send(batch, name, action + " " + name + " TXT");
  }

  @Override
  public List<String> txt(String name) {
    try {
      return route53
          .listResourceRecordSets(
              r ->
                  r.hostedZoneId(hostedZoneId)
                      .startRecordName(name)
                      .startRecordType(RRType.TXT)
                      .maxItems("1"))
          .resourceRecordSets()
          .stream()
          .filter(s -> s.type() == RRType.TXT && sameName(s.name(), name))
          .flatMap(s -> s.resourceRecords().stream())
          .map(r -> r.value().replaceAll("^\"|\"$", ""))
          .toList();
    } catch (Route53Exception e) {
      throw new DnsSwitchException(refusal(name, e), e);
    }
  }

  @Override
  public Optional<String> current(String name) {
    return cnameSets(name, Math.max(1, weighted.size())).stream()
        .filter(set -> set.weight() == null || set.weight() > 0)
        .flatMap(set -> set.resourceRecords().stream())
        .map(ResourceRecord::value)
        .findFirst();
  }

  @Override
  public String describe() {
    return "Route 53 hosted zone " + hostedZoneId + (weighted.isEmpty() ? "" : " (weighted)");
  }

  private String refusal(String name, Route53Exception e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    String why =
        switch (code) {
          case "AccessDenied" ->
              "access denied: the credentials may not change record sets in this hosted zone"
                  + " (route53:ChangeResourceRecordSets, route53:GetChange)";
          case "Throttling", "PriorRequestNotComplete" ->
              "Route 53 kept throttling the request after "
                  + (e.numAttempts() == null ? "several" : e.numAttempts())
                  + " attempts";
          case "NoSuchHostedZone" -> "there is no hosted zone " + hostedZoneId;
          case "InvalidChangeBatch", "InvalidInput" ->
              "Route 53 rejected the change: " + e.awsErrorDetails().errorMessage();
          default ->
              "Route 53 answered "
                  + e.statusCode()
                  + " "
                  + code
                  + ": "
                  + (e.awsErrorDetails() == null
                      ? e.getMessage()
                      : e.awsErrorDetails().errorMessage());
        };
    return "update of " + name + " on " + describe() + " not made: " + why;
  }

  private static boolean sameName(String a, String b) {
    return a.replaceAll("\\.$", "").equalsIgnoreCase(b.replaceAll("\\.$", ""));
  }
}
