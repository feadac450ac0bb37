package dev.kafkadr.controller.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * After the producers' fence, ends every transaction still open on the tenant's partitions, so that
 * the drain ends at the last committed record: the tenant's transactional ids (the prefixes its
 * producers declare) are fenced with {@code Admin.fenceProducers}, whose coordinator aborts their
 * open transactions and bumps their epochs; a transaction its coordinator no longer tracks
 * (hanging) is aborted with {@code Admin.abortTransaction}. Then it waits until every partition's
 * last stable offset has reached its high watermark. Each transaction ended is reported: its id,
 * producer id, partitions and the offsets it held.
 */
final class EndTransactions implements Step {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * How long after the fence the tenant's transactional ids are watched, held partitions or not.
   */
  private static final Duration SETTLE = Duration.ofSeconds(1);

  private static final Set<TransactionState> DONE =
      Set.of(
          TransactionState.EMPTY,
          TransactionState.COMPLETE_ABORT,
          TransactionState.COMPLETE_COMMIT,
          TransactionState.UNKNOWN);

  @Override
  public String name() {
    return "end-transactions";
  }

  @Override
  public String plan(StepContext c) throws Exception {
    List<String> ids =
        open(c.admin(c.from()), Fences.transactionalIdPrefixes(c.file(), c.tenant()));
    return "would fence "
        + ids.size()
        + " open transaction(s) of the tenant's transactional ids "
        + Fences.transactionalIdPrefixes(c.file(), c.tenant())
        + " on "
        + c.from().alias()
        + " and wait until no transaction holds a partition";
  }

  @Override
  public Outcome run(StepContext c) throws Exception {
    Admin admin = c.admin(c.from());
    List<String> prefixes = Fences.transactionalIdPrefixes(c.file(), c.tenant());
    List<TopicPartition> partitions = TenantTopics.partitions(admin, c.tenant());
    Map<TopicPartition, Long> held = held(admin, partitions);
    List<Map<String, Object>> ended = new ArrayList<>();
    java.util.Set<String> fenced = new java.util.HashSet<>();
    fence(admin, open(admin, prefixes), fenced, ended);
    long until = System.nanoTime() + WAIT.toNanos();
    // A tenant with transactional producers is watched for SETTLE even when nothing is held: the
    // DENY ACLs reach the brokers some milliseconds after they are created, and a transaction
    // begun in that window would otherwise open after this step and hold the drain until its
    // timeout (seen in CI: the drain waited 15 s for 5 records of such a transaction).
    long settled = System.nanoTime() + (prefixes.isEmpty() ? 0 : SETTLE.toNanos());
    Map<TopicPartition, Long> still = held(admin, partitions);
    boolean abortedHanging = false;
    int round = 0;
    while ((!still.isEmpty() || System.nanoTime() < settled) && System.nanoTime() < until) {
      if (++round % 5 == 0 || System.nanoTime() < settled) {
        // A transaction begun just before the DENY ACLs reached every broker was not open when
        // the ids were first listed: fence it too (its coordinator still tracks it, so it is no
        // hanging transaction either).
        fence(admin, open(admin, prefixes), fenced, ended);
      }
      if (!abortedHanging && System.nanoTime() > until - WAIT.toNanos() / 2) {
        ended.addAll(abortHanging(admin, still.keySet()));
        abortedHanging = true;
      }
      Thread.sleep(200);
      still = held(admin, partitions);
    }
    if (!still.isEmpty()) {
      throw new WorkflowException(
          "transactions still hold "
              + still
              + " (offsets behind the last stable offset) on "
              + c.from().alias()
              + " after "
              + WAIT.toSeconds()
              + " s: "
              + describeOpen(admin, still.keySet())
              + "; declare the producer's transactional ids under access.transactionalIds, or end"
              + " it (runbooks/transactions.md)");
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("transactionsEnded", ended);
    Map<String, Long> heldAtFence = new TreeMap<>();
    held.forEach((tp, n) -> heldAtFence.put(tp.toString(), n));
    facts.put("heldAtFence", heldAtFence);
    return new Outcome(
        ended.isEmpty()
            ? "no transaction open on the tenant's partitions"
            : ended.size()
                + " transaction(s) ended: "
                + ended
                + "; offsets they held per partition: "
                + heldAtFence,
        facts);
  }

  /**
   * Fences (fenceProducers: the coordinator aborts the open transaction and bumps the epoch) each
   * of {@code ids} not in {@code fenced} yet, and records each in {@code ended}.
   */
  private static void fence(
      Admin admin, List<String> ids, java.util.Set<String> fenced, List<Map<String, Object>> ended)
      throws Exception {
    List<String> fresh = ids.stream().filter(id -> !fenced.contains(id)).toList();
    if (fresh.isEmpty()) {
      return;
    }
    Map<String, TransactionDescription> described =
        admin.describeTransactions(fresh).all().get(30, TimeUnit.SECONDS);
    admin.fenceProducers(fresh).all().get(30, TimeUnit.SECONDS);
    fenced.addAll(fresh);
    described.forEach(
        (id, d) -> {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("transactionalId", id);
          t.put("producerId", d.producerId());
          t.put("partitions", d.topicPartitions().stream().map(Object::toString).sorted().toList());
          t.put("how", "fenced (fenceProducers): its coordinator aborted it");
          ended.add(t);
        });
  }

  /** The tenant's transactional ids with a transaction under way. */
  private static List<String> open(Admin admin, List<String> prefixes) throws Exception {
    if (prefixes.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (TransactionListing t : admin.listTransactions().all().get(30, TimeUnit.SECONDS)) {
      if (!DONE.contains(t.state())
          && prefixes.stream().anyMatch(p -> t.transactionalId().startsWith(p))) {
        out.add(t.transactionalId());
      }
    }
    return out;
  }

  /** Partitions whose high watermark is past their last stable offset, by how much. */
  static Map<TopicPartition, Long> held(Admin admin, List<TopicPartition> partitions)
      throws Exception {
    Map<TopicPartition, Long> stable = latest(admin, partitions, IsolationLevel.READ_COMMITTED);
    Map<TopicPartition, Long> hw = latest(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
    Map<TopicPartition, Long> out = new HashMap<>();
    partitions.forEach(
        tp -> {
          if (hw.get(tp) > stable.get(tp)) {
            out.put(tp, hw.get(tp) - stable.get(tp));
          }
        });
    return out;
  }

  static Map<TopicPartition, Long> latest(
      Admin admin, List<TopicPartition> partitions, IsolationLevel isolation) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> out = new HashMap<>();
    if (request.isEmpty()) {
      return out;
    }
    admin
        .listOffsets(request, new ListOffsetsOptions(isolation))
        .all()
        .get(30, TimeUnit.SECONDS)
        .forEach((tp, r) -> out.put(tp, r.offset()));
    return out;
  }

  /**
   * Aborts the transactions still open on {@code partitions} after the fence whose coordinator no
   * longer tracks them (hanging): only the partition leader can end those. A transaction a
   * coordinator still tracks (an id the tenant did not declare) is left to the error message.
   */
  private static List<Map<String, Object>> abortHanging(Admin admin, Set<TopicPartition> partitions)
      throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    var states = admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS);
    for (var e : states.entrySet()) {
      for (ProducerState p : e.getValue().activeProducers()) {
        if (p.currentTransactionStartOffset().isPresent() && !tracked(admin, p.producerId())) {
          admin
              .abortTransaction(
                  new AbortTransactionSpec(
                      e.getKey(),
                      p.producerId(),
                      (short) p.producerEpoch(),
                      p.coordinatorEpoch().orElse(0)))
              .all()
              .get(30, TimeUnit.SECONDS);
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("producerId", p.producerId());
          t.put("partitions", List.of(e.getKey().toString()));
          t.put("how", "hanging: aborted on the partition (abortTransaction)");
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Whether a coordinator still has a transaction of {@code producerId} under way. */
  private static boolean tracked(Admin admin, long producerId) throws Exception {
    return admin
        .listTransactions(
            new org.apache.kafka.clients.admin.ListTransactionsOptions()
                .filterProducerIds(Set.of(producerId)))
        .all()
        .get(30, TimeUnit.SECONDS)
        .stream()
        .anyMatch(t -> !DONE.contains(t.state()));
  }

  private static String describeOpen(Admin admin, Set<TopicPartition> partitions) {
    try {
      List<String> out = new ArrayList<>();
      admin
          .describeProducers(partitions)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (tp, s) ->
                  s.activeProducers().stream()
                      .filter(p -> p.currentTransactionStartOffset().isPresent())
                      .forEach(
                          p ->
                              out.add(
                                  tp
                                      + " by producer id "
                                      + p.producerId()
                                      + " since offset "
                                      + p.currentTransactionStartOffset().getAsLong())));
      return String.join(", ", out);
    } catch (Exception e) {
      return "(the producers could not be described: " + e.getMessage() + ")";
    }
  }
}
