package dev.kafkadr.controller.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller's state behind one interface: documents by key (tenant locks, registry entries)
 * and append-only logs (workflow journals, the audit log, drill claims). Every write names the
 * version it expects and fails with {@link StaleWrite} when the store holds another, so two writers
 * can never both believe they won: a lock taken twice, a registry epoch moved twice, a journal with
 * two lines at one position. A replicated store also refuses writes from a replica that no longer
 * holds the leader lease (its fencing token), with the same exception.
 *
 * <p>Implementations: {@link LocalStateStore} (files in the journal directory, one replica) and
 * {@link EtcdStateStore} (etcd, every write conditioned on the leader key).
 */
public interface StateStore {

  /**
   * A document and its version: 1 when first written, one more with each write; an absent document
   * has version 0.
   *
   * @param value the document (UTF-8 text, JSON by convention)
   * @param version its version
   */
  record Doc(String value, long version) {}

  /**
   * The document under {@code key} ({@code /}-separated names of letters, digits, {@code .}, {@code
   * _} and {@code -}), if any.
   *
   * @throws StoreException when the store does not answer
   */
  Optional<Doc> get(String key);

  /**
   * Writes {@code value} under {@code key} if the document's version is {@code expected} (0: it
   * must not exist).
   *
   * @return the new version
   * @throws StaleWrite when the version differs (naming the one found) or this replica may not
   *     write
   * @throws StoreException when the store does not answer
   */
  long put(String key, String value, long expected);

  /**
   * The document under {@code key} as the store can tell it without a quorum: on etcd, a
   * serializable read of the member reached, which answers while the cluster has lost its quorum
   * but may be behind it (a member cut from a majority that still writes); on the local store, the
   * same as {@link #get}. For reads that must go on when nothing can be written anyway (the
   * bootstrap registry); never a basis for a write, whose version check would refuse it.
   *
   * @throws StoreException when not even one member answers
   */
  default Optional<Doc> getLatestKnown(String key) {
    return get(key);
  }

  /** Whether several replicas share this store (etcd), so one may serve what another wrote. */
  default boolean shared() {
    return false;
  }

  /** The only key prefix {@link #observe} writes under. */
  String OBSERVATIONS = "observations";

  /**
   * Writes a replica's own observation {@code value} under {@code observations/<name>}, whatever
   * the version and whoever leads: the one write a follower makes (its reachability probes, which
   * the leader reads as a vantage point's view). Last writer wins; readers judge freshness by the
   * time the value carries.
   *
   * @throws IllegalArgumentException when {@code name} is not one name (no {@code /})
   * @throws StoreException when the store does not answer
   */
  void observe(String name, String value);

  /**
   * Deletes the document under {@code key} if its version is {@code expected}.
   *
   * @throws StaleWrite when the version differs or this replica may not write
   * @throws StoreException when the store does not answer
   */
  void delete(String key, long expected);

  /**
   * Every document whose key starts with {@code prefix} followed by {@code /}, by the rest of its
   * key.
   *
   * @throws StoreException when the store does not answer
   */
  Map<String, Doc> list(String prefix);

  /**
   * Appends {@code line} (one line of text, no line break) to log {@code log} as its entry number
   * {@code expected} (counted from 0: the number of entries before it).
   *
   * @throws StaleWrite when the log holds another number of entries, or this replica may not write
   * @throws StoreException when the store does not answer
   */
  void append(String log, String line, long expected);

  /**
   * Deletes log {@code log} with every entry (once they have been archived elsewhere) if it holds
   * exactly {@code entries} entries, so that none appended after they were read is lost; nothing
   * when there is no such log and {@code entries} is 0.
   *
   * @throws StaleWrite when the log holds another number of entries, or this replica may not write
   * @throws StoreException when the store does not answer
   */
  void deleteLog(String log, long entries);

  /**
   * The entries of log {@code log} in order; empty when there is none.
   *
   * @throws StoreException when the store does not answer
   */
  List<String> read(String log);

  /**
   * The names of the logs directly under {@code prefix} ({@code ""} for the top level).
   *
   * @throws StoreException when the store does not answer
   */
  List<String> logs(String prefix);

  /**
   * A write the store refused: the version it expected was not the one found, or the writer is not
   * the leader any more.
   */
  final class StaleWrite extends RuntimeException {
    /** With what was expected and found. */
    public StaleWrite(String message) {
      super(message);
    }
  }
}
