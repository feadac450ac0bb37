package dev.kafkadr.controller.store;

import java.util.Optional;

/**
 * A write asked of a controller replica that does not lead (etcd store): the API answers 307 to the
 * leader's URL when one leads, 503 when none does (an election under way, or etcd unreachable).
 */
public class NotLeader extends RuntimeException {

  private final String leader;
  private final String leaderUrl;

  /**
   * @param replica this replica's id
   * @param leader the leader's replica id, or null when none leads
   * @param leaderUrl where the leader's API answers, or null
   */
  public NotLeader(String replica, String leader, String leaderUrl) {
    super(
        "this controller replica ("
            + replica
            + ") does not lead; "
            + (leader == null
                ? "no replica leads now (an election under way, or etcd unreachable): retry"
                : "the leader is " + leader + (leaderUrl == null ? "" : " at " + leaderUrl)));
    this.leader = leader;
    this.leaderUrl = leaderUrl;
  }

  /** The leader's replica id, if one leads. */
  public Optional<String> leader() {
    return Optional.ofNullable(leader);
  }

  /** Where the leader's API answers, if known. */
  public Optional<String> leaderUrl() {
    return Optional.ofNullable(leaderUrl);
  }
}
