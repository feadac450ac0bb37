package dev.kafkadr.tenant;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a replicated record was first written and how many replication hops it has made, carried in
 * one header (default name {@code kdr.provenance}) as UTF-8 text: {@code <hops>;<origin
 * offset>;<origin timestamp>;<origin cluster alias>}, e.g. {@code 1;42;1700000000123;primary}. The
 * alias comes last so it may contain any character; an unknown offset or timestamp is left empty.
 *
 * <p>One header rather than four: on the sandbox, four separate headers cost about 20% of
 * replication throughput against MM2 without them, and the bytes and per-header conversions are
 * most of that (see BENCHMARKS.md).
 *
 * @param hops replication hops made, 1 after the first
 * @param originOffset offset on the origin cluster, or -1 when unknown
 * @param originTimestamp timestamp on the origin cluster, or -1 when unknown
 * @param originAlias alias of the cluster the record was first written to
 */
public record Provenance(int hops, long originOffset, long originTimestamp, String originAlias) {

  /** Default name of the provenance header. */
  public static final String DEFAULT_HEADER = "kdr.provenance";

  /** The header value. */
  public byte[] toBytes() {
    return (hops
            + ";"
            + (originOffset < 0 ? "" : originOffset)
            + ";"
            + (originTimestamp < 0 ? "" : originTimestamp)
            + ";"
            + originAlias)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The same provenance one hop further. */
  public Provenance nextHop() {
    return new Provenance(hops + 1, originOffset, originTimestamp, originAlias);
  }

  /** Parses a header value; empty when it is not one this class wrote. */
  public static Optional<Provenance> parse(byte[] value) {
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = new String(value, StandardCharsets.UTF_8).split(";", 4);
    if (parts.length != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Provenance(Integer.parseInt(parts[0]), number(parts[1]), number(parts[2]), parts[3]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The source offset of a record copied straight from {@code alias} (one hop), read from its
   * header value; empty for any other record (no header, another origin, more hops).
   */
  public static Optional<Long> copiedFrom(byte[] value, String alias) {
    return parse(value)
        .filter(p -> p.hops() == 1 && p.originAlias().equals(alias) && p.originOffset() >= 0)
        .map(Provenance::originOffset);
  }

  /**
   * Whether a header value names {@code alias} (UTF-8 bytes) as origin, without parsing the
   * numbers: the bytes after the third ';' equal the alias. Called for every replicated record.
   */
  public static boolean originIs(byte[] value, byte[] alias) {
    if (value == null) {
      return false;
    }
    int separators = 0;
    int start = -1;
    for (int i = 0; i < value.length; i++) {
      if (value[i] == ';' && ++separators == 3) {
        start = i + 1;
        break;
      }
    }
    if (start < 0 || value.length - start != alias.length) {
      return false;
    }
    for (int i = 0; i < alias.length; i++) {
      if (value[start + i] != alias[i]) {
        return false;
      }
    }
    return true;
  }

  private static long number(String text) {
    return text.isEmpty() ? -1 : Long.parseLong(text);
  }
}
