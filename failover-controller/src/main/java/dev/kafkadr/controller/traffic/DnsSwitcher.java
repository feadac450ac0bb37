package dev.kafkadr.controller.traffic;

import java.time.Duration;
import java.util.Optional;

/**
 * Points a tenant's bootstrap name at another cluster: the one interface behind which Route 53 and
 * RFC 2136 dynamic DNS sit. A switch returns only once the provider has made the change (and, where
 * it can be read back, once it reads back); otherwise it throws {@link DnsSwitchException}, so no
 * workflow claims a switch that did not happen.
 */
public interface DnsSwitcher {

  /**
   * Makes {@code name} a CNAME of {@code target} with {@code ttl}, replacing what was there.
   *
   * @return the provider's reference for the change (Route 53 change id, DNS message id), for the
   *     journal and the audit log
   * @throws DnsSwitchException naming the record, the server and its answer
   */
  String pointTo(String name, String target, Duration ttl);

  /**
   * As {@link #pointTo(String, String, Duration)}, made only if {@code name} is still a CNAME of
   * {@code expected} (empty: no CNAME), the value the workflow read before: a switch computed by a
   * replica that has since lost its lease fails instead of overwriting a newer one. RFC 2136 sends
   * the condition with the update as a prerequisite (the server checks it atomically, RFC 2136
   * section 2.4); Route 53 DELETEs the record set as read and CREATEs the new one in one change
   * batch, which it refuses whole when the set no longer matches (weighted records: an UPSERT,
   * unconditioned).
   *
   * @throws DnsSwitchException as {@link #pointTo(String, String, Duration)}, and when {@code name}
   *     no longer holds {@code expected}
   */
  default String pointTo(String name, String target, Duration ttl, Optional<String> expected) {
    return pointTo(name, target, ttl);
  }

  /** What {@code name} is a CNAME of now, as the provider answers; empty when it is none. */
  Optional<String> current(String name);

  /**
   * Makes {@code name} a TXT record holding the one string {@code value} with {@code ttl},
   * replacing what was there; returns once the provider has made the change (as {@link #pointTo}).
   * A drill proves with it that the provider accepts a signed change, without touching a tenant's
   * bootstrap name.
   *
   * @return the provider's reference for the change
   * @throws DnsSwitchException naming the record, the server and its answer
   */
  String writeTxt(String name, String value, Duration ttl);

  /**
   * Removes the TXT record {@code name} written by {@link #writeTxt} with {@code value} and {@code
   * ttl} (Route 53 deletes a record set only by its exact contents).
   *
   * @return the provider's reference for the change
   * @throws DnsSwitchException naming the record, the server and its answer
   */
  String deleteTxt(String name, String value, Duration ttl);

  /** The strings of the TXT record {@code name}, as the provider answers; empty when none. */
  java.util.List<String> txt(String name);

  /** Where the switcher makes its changes, for logs and journals (never a secret). */
  String describe();
}
