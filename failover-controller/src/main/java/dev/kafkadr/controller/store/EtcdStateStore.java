package dev.kafkadr.controller.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The state store on etcd, shared by the controller's replicas: a document is the key {@code
 * <prefix>doc/<key>}, its version etcd's own (1 when created, one more per write, 0 when absent); a
 * log entry is the key {@code <prefix>log/<log>/<entry number, 20 digits>}, and {@code
 * <prefix>logs/<log>} marks that a log exists. Every write is one transaction whose conditions are
 * the version expected and the leader key's create revision being this replica's fencing token
 * ({@link LeaderLease#token()}), so a replica that lost its lease cannot write even before it
 * notices; when a condition fails, the same transaction reads back what was found and the exception
 * says which.
 */
public final class EtcdStateStore implements StateStore {

  private final Client client;
  private final String prefix;
  private final java.util.function.Supplier<Optional<Long>> token;
  private final ByteSequence leaderKey;
  private final Duration timeout;

  /**
   * @param client the etcd client
   * @param prefix every key's prefix, ending in {@code /}
   * @param token this replica's fencing token while it holds the leader lease ({@link
   *     LeaderLease#token()}), empty otherwise; it conditions every write
   * @param leaderKey the lease's key
   * @param timeout the longest one request may take
   */
  public EtcdStateStore(
      Client client,
      String prefix,
      java.util.function.Supplier<Optional<Long>> token,
      String leaderKey,
      Duration timeout) {
    this.client = client;
    this.prefix = prefix;
    this.token = token;
    this.leaderKey = LeaderLease.bytes(leaderKey);
    this.timeout = timeout;
  }

  @Override
  public Optional<Doc> get(String key) {
    List<KeyValue> kvs = get(client.getKVClient().get(doc(key))).getKvs();
    return kvs.isEmpty()
        ? Optional.empty()
        : Optional.of(new Doc(text(kvs.get(0).getValue()), kvs.get(0).getVersion()));
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public Optional<Doc> getLatestKnown(String key) {
    List<KeyValue> kvs =
        get(client.getKVClient().get(doc(key), GetOption.builder().withSerializable(true).build()))
            .getKvs();
    return kvs.isEmpty()
        ? Optional.empty()
        : Optional.of(new Doc(text(kvs.get(0).getValue()), kvs.get(0).getVersion()));
  }

  @Override
  public long put(String key, String value, long expected) {
    ByteSequence k = doc(key);
    long token = token();
    TxnResponse r =
        commit(
            new Cmp[] {leader(token), new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(expected))},
            new Op[] {Op.put(k, LeaderLease.bytes(value), PutOption.DEFAULT)},
            k);
    if (!r.isSucceeded()) {
      throw refused(r, token, "document " + key, expected, k);
    }
    return expected + 1;
  }

  @Override
  public void observe(String name, String value) {
    if (name.contains("/")) {
      throw new IllegalArgumentException("an observation's name is one name, not " + name);
    }
    get(client.getKVClient().put(doc(OBSERVATIONS + "/" + name), LeaderLease.bytes(value)));
  }

  @Override
  public void delete(String key, long expected) {
    ByteSequence k = doc(key);
    long token = token();
    TxnResponse r =
        commit(
            new Cmp[] {
              leader(token),
              new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(expected)),
              new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(0))
            },
            new Op[] {Op.delete(k, DeleteOption.DEFAULT)},
            k);
    if (!r.isSucceeded()) {
      throw refused(r, token, "document " + key, expected, k);
    }
  }

  @Override
  public Map<String, Doc> list(String prefixOfKeys) {
    String base = prefix + "doc/" + prefixOfKeys + "/";
    Map<String, Doc> out = new TreeMap<>();
    for (KeyValue kv : range(base, false)) {
      out.put(
          text(kv.getKey()).substring(base.length()),
          new Doc(text(kv.getValue()), kv.getVersion()));
    }
    return out;
  }

  @Override
  public void append(String log, String line, long expected) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a log entry is one line; this one has a line break");
    }
    ByteSequence k = entry(log, expected);
    long token = token();
    List<Cmp> conditions = new ArrayList<>();
    conditions.add(leader(token));
    conditions.add(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)));
    if (expected > 0) {
      conditions.add(new Cmp(entry(log, expected - 1), Cmp.Op.GREATER, CmpTarget.version(0)));
    }
    List<Op> writes = new ArrayList<>();
    writes.add(Op.put(k, LeaderLease.bytes(line), PutOption.DEFAULT));
    if (expected == 0) {
      writes.add(
          Op.put(
              LeaderLease.bytes(prefix + "logs/" + log), LeaderLease.bytes(""), PutOption.DEFAULT));
    }
    TxnResponse r = commit(conditions.toArray(Cmp[]::new), writes.toArray(Op[]::new), k);
    if (!r.isSucceeded()) {
      long found = read(log).size();
      if (holderToken(r) != token) {
        throw notLeader(r, token);
      }
      throw new StaleWrite(
          "log " + log + " holds " + found + " entries, not the " + expected + " expected");
    }
  }

  @Override
  public void deleteLog(String log, long entries) {
    long token = token();
    ByteSequence marker = LeaderLease.bytes(prefix + "logs/" + log);
    List<Cmp> conditions = new ArrayList<>();
    conditions.add(leader(token));
    conditions.add(new Cmp(entry(log, entries), Cmp.Op.EQUAL, CmpTarget.version(0)));
    if (entries > 0) {
      conditions.add(new Cmp(entry(log, entries - 1), Cmp.Op.GREATER, CmpTarget.version(0)));
    }
    TxnResponse r =
        commit(
            conditions.toArray(Cmp[]::new),
            new Op[] {
              Op.delete(
                  LeaderLease.bytes(prefix + "log/" + log + "/"),
                  DeleteOption.builder().isPrefix(true).build()),
              Op.delete(marker, DeleteOption.DEFAULT)
            },
            marker);
    if (!r.isSucceeded()) {
      if (holderToken(r) != token) {
        throw notLeader(r, token);
      }
      throw new StaleWrite(
          "log "
              + log
              + " holds "
              + read(log).size()
              + " entries, not the "
              + entries
              + " expected: not deleted");
    }
  }

  @Override
  public List<String> read(String log) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : range(prefix + "log/" + log + "/", false)) {
      out.add(text(kv.getValue()));
    }
    return out;
  }

  @Override
  public List<String> logs(String logPrefix) {
    String base = prefix + "logs/" + (logPrefix.isEmpty() ? "" : logPrefix + "/");
    List<String> out = new ArrayList<>();
    for (KeyValue kv : range(base, true)) {
      String rest = text(kv.getKey()).substring(base.length());
      if (!rest.contains("/")) {
        out.add((logPrefix.isEmpty() ? "" : logPrefix + "/") + rest);
      }
    }
    return out;
  }

  private List<KeyValue> range(String base, boolean keysOnly) {
    ByteSequence from = LeaderLease.bytes(base);
    return get(client
            .getKVClient()
            .get(
                from,
                GetOption.builder()
                    .isPrefix(true)
                    .withKeysOnly(keysOnly)
                    .withSortField(GetOption.SortTarget.KEY)
                    .withSortOrder(GetOption.SortOrder.ASCEND)
                    .build()))
        .getKvs();
  }

  private long token() {
    return token
        .get()
        .orElseThrow(
            () -> new StaleWrite("this replica does not hold the leader lease: it may not write"));
  }

  private Cmp leader(long token) {
    return new Cmp(leaderKey, Cmp.Op.EQUAL, CmpTarget.createRevision(token));
  }

  private TxnResponse commit(Cmp[] conditions, Op[] writes, ByteSequence read) {
    return get(
        client
            .getKVClient()
            .txn()
            .If(conditions)
            .Then(writes)
            .Else(Op.get(leaderKey, GetOption.DEFAULT), Op.get(read, GetOption.DEFAULT))
            .commit());
  }

  private static long holderToken(TxnResponse r) {
    List<KeyValue> leader = r.getGetResponses().get(0).getKvs();
    return leader.isEmpty() ? 0 : leader.get(0).getCreateRevision();
  }

  private StaleWrite refused(
      TxnResponse r, long token, String what, long expected, ByteSequence k) {
    if (holderToken(r) != token) {
      return notLeader(r, token);
    }
    List<KeyValue> found = r.getGetResponses().get(1).getKvs();
    long version = found.isEmpty() ? 0 : found.get(0).getVersion();
    return new StaleWrite(
        what + " is at version " + version + ", not the " + expected + " expected");
  }

  private static StaleWrite notLeader(TxnResponse r, long token) {
    List<KeyValue> leader = r.getGetResponses().get(0).getKvs();
    return new StaleWrite(
        "this replica's fencing token "
            + token
            + " is no longer the leader's ("
            + (leader.isEmpty()
                ? "nobody holds the leader key"
                : LeaderLease.holderOf(text(leader.get(0).getValue()), 0).replicaId()
                    + " holds it since revision "
                    + leader.get(0).getCreateRevision())
            + "): the write was refused");
  }

  private ByteSequence doc(String key) {
    return LeaderLease.bytes(prefix + "doc/" + key);
  }

  private ByteSequence entry(String log, long n) {
    return LeaderLease.bytes(prefix + "log/" + log + "/" + String.format(Locale.ROOT, "%020d", n));
  }

  private static String text(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  private <T> T get(CompletableFuture<T> future) {
    return EtcdCalls.await(future, timeout);
  }
}
