package dev.kafkadr.controller.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kafkadr.controller.ControllerConfig;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows failed password logins before their password is hashed, with a token bucket (Bucket4j) per
 * client address and one per user name ({@code kdr.auth.failed-logins.*}). A login that will be
 * hashed takes a token from both before it is; a login that succeeds gives them back, so only
 * failures spend an allowance. When either is spent the login is refused (429) with the time until
 * a token returns, and nothing is hashed.
 *
 * <p>The per-user bucket does not apply from an address where that user logged in within {@code
 * remember-address}: a stranger guessing one user's password from many addresses slows that name's
 * logins from unknown addresses only, never the user's own. OWASP's Authentication Cheat Sheet
 * advises throttling rather than locking accounts for this reason. Buckets live in memory, at most
 * 100,000 of each kind; a replica that restarts starts with full allowances.
 */
public final class LoginThrottle {

  /** What a login was admitted or refused with. */
  public static final class Admission {
    private final Optional<String> refusedBy;
    private final Duration retryAfter;
    private final String user;
    private final String address;
    private final Bucket byAddress;
    private final Bucket byUser;

    private Admission(
        Optional<String> refusedBy,
        Duration retryAfter,
        String user,
        String address,
        Bucket byAddress,
        Bucket byUser) {
      this.refusedBy = refusedBy;
      this.retryAfter = retryAfter;
      this.user = user;
      this.address = address;
      this.byAddress = byAddress;
      this.byUser = byUser;
    }

    /** Whether the login is refused before hashing. */
    public boolean refused() {
      return refusedBy.isPresent();
    }

    /** Empty when admitted; else {@code "address"} or {@code "user"}, the allowance spent. */
    public Optional<String> refusedBy() {
      return refusedBy;
    }

    /** When refused, how long until a token returns (at least a second); else zero. */
    public Duration retryAfter() {
      return retryAfter;
    }

    /** The user name the login gave. */
    public String user() {
      return user;
    }

    /** The client address it came from. */
    public String address() {
      return address;
    }
  }

  private final int perAddress;
  private final int perUser;
  private final Duration refill;
  private final Cache<String, Bucket> addresses;
  private final Cache<String, Bucket> users;
  private final Cache<String, Boolean> remembered;

  /** Allowances as configured. */
  public LoginThrottle(ControllerConfig.FailedLogins config) {
    this.perAddress = Math.max(1, config.perAddress());
    this.perUser = Math.max(1, config.perUser());
    this.refill = config.refill();
    // A bucket untouched for a whole refill period is full again: forgetting it changes nothing.
    this.addresses = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(refill).build();
    this.users = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(refill).build();
    this.remembered =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(config.rememberAddress())
            .build();
  }

  /** Takes a token for a login of {@code user} from {@code address}, or says why it cannot. */
  public Admission admit(String user, String address) {
    Bucket byAddress = addresses.get(address, a -> bucket(perAddress));
    boolean known = remembered.getIfPresent(key(user) + '\n' + address) != null;
    Bucket byUser = known ? null : users.get(key(user), u -> bucket(perUser));
    ConsumptionProbe a = byAddress.tryConsumeAndReturnRemaining(1);
    if (!a.isConsumed()) {
      return refusal("address", a, user, address);
    }
    if (byUser != null) {
      ConsumptionProbe u = byUser.tryConsumeAndReturnRemaining(1);
      if (!u.isConsumed()) {
        byAddress.addTokens(1);
        return refusal("user", u, user, address);
      }
    }
    return new Admission(Optional.empty(), Duration.ZERO, user, address, byAddress, byUser);
  }

  /** The admitted login verified: its tokens come back and its address is remembered. */
  public void succeeded(Admission admission) {
    if (admission.refused()) {
      return;
    }
    admission.byAddress.addTokens(1);
    if (admission.byUser != null) {
      admission.byUser.addTokens(1);
    }
    remembered.put(key(admission.user()) + '\n' + admission.address(), Boolean.TRUE);
  }

  /**
   * The key a user name is counted under: the name, or for a name longer than 256 characters (which
   * no users file holds) its SHA-256, so that the caller cannot make the map hold megabytes.
   */
  static String key(String user) {
    if (user.length() <= 256) {
      return user;
    }
    try {
      return "sha256:"
          + java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(user.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  private Bucket bucket(int capacity) {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, refill))
        .build();
  }

  private static Admission refusal(String by, ConsumptionProbe probe, String user, String address) {
    Duration wait = Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L));
    return new Admission(Optional.of(by), wait, user, address, null, null);
  }
}
