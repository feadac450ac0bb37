package dev.kafkadr.controller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The controller's configuration, every key under {@code kdr.}; checked at start-up. */
@ConfigMapping(prefix = "kdr")
public interface ControllerConfig {

  /** The tenants file: clusters, flows and tenants with their RPO/RTO. */
  Path tenantsFile();

  /**
   * REST URL of the Connect cluster that runs the flows into each target cluster, by target alias
   * ({@code kdr.connect.secondary=http://connect:8083}); targets without one are not watched.
   */
  Map<String, String> connect();

  /** How the controller logs in to Connect REST APIs locked with basic authentication. */
  ConnectRest connectRest();

  /**
   * The Connect REST user of the controller, for every Connect cluster it calls ({@code
   * kdr.connect-rest.user}, {@code kdr.connect-rest.password}); both unset for open REST APIs.
   */
  interface ConnectRest {
    /** The REST user name. */
    Optional<String> user();

    /**
     * Its password: give it through the environment ({@code KDR_CONNECT_REST_PASSWORD}) or a
     * Quarkus secret source, not in a file under version control; it is never logged.
     */
    Optional<String> password();

    /**
     * The CA certificates (PEM) the certificate of an {@code https://} Connect REST API is checked
     * against ({@code kdr.connect-rest.truststore}); unset, the JVM's trust store.
     */
    Optional<Path> truststore();
  }

  /**
   * The Connect REST URLs and the credentials to call them with.
   *
   * @throws IllegalArgumentException when only one of the user and the password is set
   */
  default dev.kafkadr.config.connect.ConnectEndpoints connectEndpoints() {
    return new dev.kafkadr.config.connect.ConnectEndpoints(
        connect(),
        dev.kafkadr.config.connect.ConnectRestCredentials.of(
            connectRest().user(),
            connectRest().password(),
            "kdr.connect-rest.user",
            "kdr.connect-rest.password"),
        connectRest().truststore());
  }

  /**
   * This controller's own client settings per cluster alias ({@code
   * kdr.client-config.primary=/etc/kafka-dr/controller.properties}): security keys only, which
   * replace the tenants file's (replication's principal) for every client the controller opens to
   * that cluster ({@link dev.kafkadr.config.ClientIdentity}); the environment variable {@code
   * KDR_CLIENT_CONFIG_<ALIAS>} works too. Each file is checked at start-up.
   */
  Map<String, Path> clientConfig();

  /**
   * A bootstrap registry file written before the state store ({@code registry.properties} in the
   * journal directory by default): its entries are taken over once into the state store, where the
   * registry lives now.
   */
  Optional<Path> registryFile();

  /** How the lag of every tenant is measured. */
  Scan scan();

  /**
   * The region (failure domain) this replica runs in, compared with the clusters' {@code region} in
   * the tenants file: only a replica outside a cluster's region is a vantage point on its loss.
   * Without it, this replica's probes never count towards an automatic failover.
   */
  Optional<String> region();

  /** Reachability probes and automatic failover. */
  Failover failover();

  /** Test seams; unset in production. */
  Debug debug();

  /** Where drill outcomes go besides the reports. */
  Drill drill();

  /** Drill outcomes. */
  interface Drill {
    /**
     * A URL every drill's outcome is POSTed to as JSON when it ends (a chat or ticketing hook);
     * none by default. See {@link dev.kafkadr.controller.workflow.DrillWebhook}.
     */
    Optional<java.net.URI> webhookUrl();

    /**
     * A ConfigProvider reference ({@code ${file:path:key}} or {@code ${env:NAME}}) to the secret
     * the webhook's body is signed with (HMAC-SHA256 in {@code X-Kdr-Signature}); unsigned when
     * unset.
     */
    Optional<String> webhookSecret();
  }

  /** Test seams. */
  interface Debug {
    /**
     * A directory in which a test arms holds before a workflow's changes outside the store ({@code
     * EffectHolds}); none by default.
     */
    Optional<Path> holdsDir();
  }

  /** Reachability probes and automatic failover. */
  interface Failover {
    /** Time between two rounds of probes (one metadata request per cluster). */
    @WithDefault("2s")
    Duration probeInterval();

    /** The longest a probe waits for a broker's answer before the cluster counts unreachable. */
    @WithDefault("2s")
    Duration probeTimeout();

    /**
     * How many vantage points outside a cluster's region must see it unreachable before an
     * automatic failover (2 as issue 16 asks: the other region's replica and the witness's).
     */
    @WithDefault("2")
    int vantagePoints();
  }

  /** Who may use the API. */
  Auth auth();

  /** The API's users. */
  interface Auth {
    /**
     * The users file: {@code name=role:pbkdf2-sha256:...} per line, role viewer, operator or
     * client; read again when it changes. Without it nobody can use the API (only /q/health).
     */
    Optional<Path> usersFile();

    /**
     * How long a user name and password that verified are remembered, as an HMAC under a key drawn
     * at start (never the password), so that the next requests with them skip the password hash
     * (about 200 ms of CPU at 600,000 iterations); {@code 0s} hashes every request. A changed or
     * removed user in the users file takes effect at once whatever this says.
     */
    @WithDefault("5m")
    Duration verifiedFor();

    /** How failed password logins are slowed ({@code LoginThrottle}). */
    FailedLogins failedLogins();
  }

  /**
   * Allowances of failed password logins, each a token bucket that refills evenly from empty to
   * full in {@link #refill()}. A login whose allowance is spent is answered 429 with Retry-After
   * before its password is hashed.
   */
  interface FailedLogins {
    /** Failed logins from one client address (any users) before it is slowed. */
    @WithDefault("10")
    int perAddress();

    /**
     * Failed logins for one user name, from addresses where that user has not logged in lately,
     * before logins of that name from such addresses are slowed. An address where the user logged
     * in within {@link #rememberAddress()} is never slowed by this allowance, so strangers cannot
     * lock a user out.
     */
    @WithDefault("30")
    int perUser();

    /** How long an allowance takes to refill from empty. */
    @WithDefault("1m")
    Duration refill();

    /** How long an address where a user logged in stays exempt from that user's allowance. */
    @WithDefault("7d")
    Duration rememberAddress();
  }

  /** How switchover, failover and failback run. */
  Workflow workflow();

  /** The workflows. */
  interface Workflow {
    /**
     * Where each workflow's journal, the tenants' workflow locks and the audit log are kept: a
     * durable disk (a persistent volume), used by one controller replica at a time (it locks it).
     */
    @WithDefault("kdr-workflows")
    Path journalDir();

    /** Longest wait for replication to copy every record after the producers are fenced. */
    @WithDefault("5m")
    Duration drainTimeout();

    /** Longest wait for active consumer groups to commit the last records before their fence. */
    @WithDefault("30s")
    Duration settleTimeout();

    /**
     * How long {@code switch-traffic} tries again a DNS provider that cannot be reached or is busy
     * before the workflow gives up (a planned one then rolls back: the switch point is not passed);
     * {@code 0s} tries once. The attempt running at the deadline finishes first: for RFC 2136 up to
     * three requests of 10 s (read, update, read back), for Route 53 its wait for INSYNC (5 min).
     */
    @WithDefault("2m")
    Duration dnsTimeout();

    /**
     * How long after it finished a workflow's journal moves out of the state store into {@code
     * archive-dir} (its tenant's newest workflow of each kind stays).
     */
    @WithDefault("30d")
    Duration archiveAfter();

    /**
     * Where archived journals go ({@code <id>.jsonl}); {@code archive} in the journal directory.
     */
    Optional<Path> archiveDir();

    /** How often the leader looks for journals to archive. */
    @WithDefault("1h")
    Duration archiveEvery();
  }

  /** The lag scan. */
  interface Scan {
    /** Time between two scans. */
    @WithDefault("10s")
    Duration interval();

    /** Share of the RPO from which a tenant's data at risk makes it AT_RISK (BREACH at the RPO). */
    @WithDefault("0.5")
    double atRiskFraction();

    /**
     * How many of a copy's newest records are searched for the newest one replicated from the
     * flow's source, when newer ones came from elsewhere (active-active with identical names).
     */
    @WithDefault("500")
    int tailWindow();

    /**
     * The longest any one read of a scan may take (offsets, metadata, records); a partition whose
     * read takes longer is UNKNOWN in that scan, with why.
     */
    @WithDefault("10s")
    Duration readTimeout();
  }
}
