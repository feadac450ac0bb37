package dev.kafkadr.chaos;

/**
 * The scenarios of the fault matrix that exist, in the order of the matrix's rows (their numbers
 * are the rows of the issue that defined the matrix). {@code chaos-tests/README.md} carries one
 * table row per scenario, checked by {@link MatrixReadmeTest}; rows not built yet are listed under
 * the table, not in it.
 *
 * @see ChaosMatrixIT
 */
enum Scenario {
  STEADY_STATE("1", "steady state (baseline)", "0 lost, 0 read twice, 0 out of order"),
  BROKER_KILLED(
      "2",
      "a primary broker SIGKILLed mid-stream (3 brokers, RF 3, min ISR 2), restarted",
      "0 lost, 0 out of order, every partition back to 3 in sync"),
  WORKER_KILLED(
      "3",
      "the Connect worker running the source task SIGKILLed mid-copy, restarted",
      "0 lost; read twice only past the committed source offset, at most what was copied past it"),
  WORKER_ZOMBIE(
      "4a",
      "the worker running the source task SIGSTOPped past its session timeout (its task moves),"
          + " then SIGCONT",
      "0 lost; read twice only past the source offset committed when it stopped"),
  EXACTLY_ONCE_ZOMBIE(
      "4b",
      "the worker running an exactly-once tenant's source task SIGSTOPped past its session timeout"
          + " (its task moves), then SIGCONT",
      "0 lost, 0 read twice by a read_committed reader: the zombie's transactions are fenced"),
  BROKER_PAUSED(
      "4c",
      "a primary broker SIGSTOPped past its session timeout, then SIGCONT",
      "0 lost, 0 out of order, 0 read twice"),
  LINK_CUT(
      "5",
      "the link between the regions cut 25 s during replication, then healed; the controller in the"
          + " secondary's region",
      "0 lost; no lag figure under the truth; UNKNOWN with its reason during the cut; the shipped"
          + " lag-unknown rule fires during the cut and resolves after the heal"),
  SLOW_WAN(
      "6",
      "a slow WAN between the regions (50 ms round trip, 1 MB/s per connection), cut 10 s",
      "0 lost; copy latency at least the one-way delay, p99 under 2 s; the backlog copied within 30 s of the heal"),
  CHECKPOINTS(
      "8",
      "50 consumer groups committing on a 10-partition topic while it is written and copied",
      "every checkpoint MirrorMaker 2 emitted resumes its group without skipping a record; no"
          + " group's checkpoint goes back"),
  CHECKPOINT_RESTART(
      "9",
      "MirrorMaker 2's checkpoint connector and its task restarted while 50 groups commit",
      "the same, across the restart; every group-partition checkpointed again after it"),
  CLOCK_SKEW(
      "15",
      "the tenant producer's clock 5 minutes ahead and the controller's 3 minutes behind"
          + " (libfaketime), replication paused 12 s",
      "no data-at-risk age under the checker's truth by more than two scan intervals; no lag"
          + " figure under the truth"),
  RETENTION_PURGE(
      "17",
      "the link between the regions cut 20 s while retention (retention.ms 6 s) purges the primary's"
          + " records before they are copied, then healed; the controller in the secondary's region",
      "the controller's gaps name exactly the offsets of the records the checker finds lost, on"
          + " each partition, and the tenant's status is BREACH");

  /** The exactly-once tenant's id (its own topics and Connect group). */
  static final String EXACTLY_ONCE_TENANT = "chaoseos";

  private final String row;
  private final String fault;
  private final String invariant;

  Scenario(String row, String fault, String invariant) {
    this.row = row;
    this.fault = fault;
    this.invariant = invariant;
  }

  /** The matrix row, e.g. {@code 4a}. */
  String row() {
    return row;
  }

  /** The tenant whose topic the scenario writes: {@code chaos}, or the exactly-once one. */
  String tenant() {
    return this == EXACTLY_ONCE_ZOMBIE ? EXACTLY_ONCE_TENANT : ChaosMatrixIT.TENANT;
  }

  /** Partitions of the scenario's topic: 10 where consumer groups are translated, else 3. */
  int partitions() {
    return this == CHECKPOINTS || this == CHECKPOINT_RESTART ? 10 : 3;
  }

  /** The fault injected, as the table says it. */
  String fault() {
    return fault;
  }

  /** What the scenario asserts, as the table says it. */
  String invariant() {
    return invariant;
  }
}
