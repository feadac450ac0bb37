package dev.kafkadr.controller.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The controller's leader key on etcd, held the way Patroni holds its leader key: a key whose value
 * is the holder's replica id, attached to an etcd lease with a TTL, created only if absent (one
 * transaction), renewed by the holder's own loop ({@link #campaign()}; no background keep-alive
 * that would outlive a stuck loop), and gone when the lease expires, so another replica can take
 * it.
 *
 * <p>The key's value is JSON: {@code {"replica": <id>, "url": <where its API answers>}}. The
 * fencing token is the key's create revision while this replica holds it: a write conditioned on it
 * ({@link #putIfLeader}) fails once the key expired or another replica created it, even when the
 * deposed holder has not noticed yet. {@link #holds()} is the local check before each action: true
 * only until the lease's TTL, counted from the moment the last successful renewal was
 * <em>sent</em>, minus a safety margin, has passed (etcd counts from when it received it, which is
 * later).
 */
public final class LeaderLease implements AutoCloseable {

  private final Client client;
  private final ByteSequence key;
  private final String replicaId;
  private final String value;
  private final long ttlSeconds;
  private final long marginNanos;
  private final Duration timeout;
  private final LongSupplier nanos;

  private long leaseId;
  private long token;
  private long validUntilNanos;
  private Watch.Watcher watcher;

  /**
   * @param client the etcd client
   * @param key the leader key, e.g. {@code /kafka-dr/leader}
   * @param replicaId this replica's id, written in the key's value
   * @param url where this replica's API answers, written in the key's value (so a follower can send
   *     clients there), or null
   * @param ttl the lease's time to live (whole seconds, at least 2)
   * @param margin how long before the lease's end this replica stops acting
   * @param timeout the longest one request to etcd may take
   * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}; a test's own)
   * @throws IllegalArgumentException for a TTL under 2 s or a margin not below it
   */
  public LeaderLease(
      Client client,
      String key,
      String replicaId,
      String url,
      Duration ttl,
      Duration margin,
      Duration timeout,
      LongSupplier nanos) {
    if (ttl.toSeconds() < 2 || margin.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "lease TTL " + ttl + " must be at least 2 s and more than the margin " + margin);
    }
    this.client = client;
    this.key = bytes(key);
    this.replicaId = replicaId;
    this.value = value(replicaId, url);
    this.ttlSeconds = ttl.toSeconds();
    this.marginNanos = margin.toNanos();
    this.timeout = timeout;
    this.nanos = nanos;
  }

  /**
   * One turn of the leader loop: the holder renews its lease; any other replica tries to create the
   * key. Returns whether this replica holds the key afterwards.
   *
   * @throws StoreException when etcd does not answer within the timeout (a holder then keeps acting
   *     only until {@link #holds()} turns false)
   */
  public synchronized boolean campaign() {
    long sent = nanos.getAsLong();
    try {
      if (leaseId != 0) {
        long ttl = get(client.getLeaseClient().keepAliveOnce(leaseId)).getTTL();
        if (ttl > 0) {
          validUntilNanos = sent + TimeUnit.SECONDS.toNanos(ttl) - marginNanos;
          return true;
        }
        lost(); // expired: etcd deleted the key with it
      }
      long lease = get(client.getLeaseClient().grant(ttlSeconds)).getID();
      TxnResponse r =
          get(
              client
                  .getKVClient()
                  .txn()
                  .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                  .Then(Op.put(key, bytes(value), PutOption.builder().withLeaseId(lease).build()))
                  .Else(Op.get(key, GetOption.DEFAULT))
                  .commit());
      if (!r.isSucceeded()) {
        get(client.getLeaseClient().revoke(lease));
        return false;
      }
      leaseId = lease;
      token = r.getHeader().getRevision();
      validUntilNanos = sent + TimeUnit.SECONDS.toNanos(ttlSeconds) - marginNanos;
      return true;
    } catch (StoreException e) {
      if (leaseId != 0
          && e.getCause() instanceof io.etcd.jetcd.common.exception.EtcdException etcd
          && String.valueOf(etcd.getMessage())
              .toLowerCase(java.util.Locale.ROOT)
              .contains("not found")) {
        lost(); // the lease expired and etcd forgot it
        return false;
      }
      throw e;
    }
  }

  private void lost() {
    leaseId = 0;
    token = 0;
    validUntilNanos = 0;
  }

  /**
   * Whether this replica may act now: it holds the key and its lease has not reached its TTL less
   * the margin, counted from the last renewal sent.
   */
  public synchronized boolean holds() {
    return leaseId != 0 && nanos.getAsLong() - validUntilNanos < 0;
  }

  /** The fencing token (the leader key's create revision) while {@link #holds()}, else empty. */
  public synchronized Optional<Long> token() {
    return holds() ? Optional.of(token) : Optional.empty();
  }

  /**
   * Who holds the key now, as etcd answers: the holder's replica id and the key's create revision.
   *
   * @throws StoreException when etcd does not answer within the timeout
   */
  public Optional<Holder> holder() {
    var kvs = get(client.getKVClient().get(key)).getKvs();
    if (kvs.isEmpty()) {
      return Optional.empty();
    }
    KeyValue kv = kvs.get(0);
    return Optional.of(
        holderOf(kv.getValue().toString(StandardCharsets.UTF_8), kv.getCreateRevision()));
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * The holder a leader key's value names (JSON {@code {"replica", "url"}}; a value that is not
   * JSON is taken as the replica id, with no URL), with fencing token {@code token}.
   */
  static Holder holderOf(String value, long token) {
    try {
      var node = JSON.readTree(value);
      if (node.isObject()) {
        return new Holder(
            node.path("replica").asText(value),
            node.hasNonNull("url") ? node.get("url").asText() : null,
            token);
      }
    } catch (java.io.IOException e) {
      // not JSON: below
    }
    return new Holder(value, null, token);
  }

  private static String value(String replicaId, String url) {
    var node = JSON.createObjectNode().put("replica", replicaId);
    if (url != null) {
      node.put("url", url);
    }
    return node.toString();
  }

  /**
   * The leader key's holder and fencing token.
   *
   * @param replicaId the holder's replica id
   * @param url where the holder's API answers, or null when it did not say
   * @param token the key's create revision
   */
  public record Holder(String replicaId, String url, long token) {}

  /**
   * Writes {@code value} under {@code target} only if the leader key still has the create revision
   * {@code token} (the holder when the token was taken has not been deposed), in one transaction.
   *
   * @return whether the write happened
   * @throws StoreException when etcd does not answer within the timeout
   */
  public boolean putIfLeader(String target, String value, long token) {
    return get(client
            .getKVClient()
            .txn()
            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(token)))
            .Then(Op.put(bytes(target), bytes(value), PutOption.DEFAULT))
            .commit())
        .isSucceeded();
  }

  /**
   * Calls {@code onVacant} whenever the leader key is deleted (its lease expired or was revoked),
   * so a follower campaigns at once instead of at its next turn.
   */
  public synchronized void onVacant(Runnable onVacant) {
    if (watcher != null) {
      watcher.close();
    }
    watcher =
        client
            .getWatchClient()
            .watch(
                key,
                response -> {
                  for (WatchEvent e : response.getEvents()) {
                    if (e.getEventType() == WatchEvent.EventType.DELETE) {
                      onVacant.run();
                    }
                  }
                });
  }

  /** Gives the key up (revokes the lease), so another replica takes it at once. */
  public synchronized void resign() {
    if (leaseId != 0) {
      long lease = leaseId;
      lost();
      try {
        get(client.getLeaseClient().revoke(lease));
      } catch (StoreException e) {
        // The lease ends at its TTL anyway.
      }
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
    resign();
  }

  private <T> T get(CompletableFuture<T> future) {
    return EtcdCalls.await(future, timeout);
  }

  static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
