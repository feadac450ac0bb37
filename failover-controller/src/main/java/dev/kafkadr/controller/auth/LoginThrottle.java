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

  /**
   * What a login was admitted or refused with.
   *
   * @param refusedBy empty when admitted; else {@code "address"} or {@code "user"}, the allowance
   *     that is spent
   * @param retryAfter when refused, how long until a token returns; else zero
   */
  public record Admission(
      Optional<String> refusedBy,
      Duration retryAfter,
      String user,
      String address,
      Bucket byAddress,
      Bucket byUser) {

    /** Whether the login is refused before hashing. */
    public boolean refused() {
      return refusedBy.isPresent();
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
    boolean known = remembered.getIfPresent(user + '\n' + address) != null;
    Bucket byUser = known ? null : users.get(user, u -> bucket(perUser));
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
    admission.byAddress().addTokens(1);
    if (admission.byUser() != null) {
      admission.byUser().addTokens(1);
    }
    remembered.put(admission.user() + '\n' + admission.address(), Boolean.TRUE);
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
