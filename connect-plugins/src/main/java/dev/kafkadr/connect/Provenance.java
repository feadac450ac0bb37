package dev.kafkadr.connect;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

/**
 * Names and encoding of the provenance headers. Values are UTF-8 text (an alias, or a decimal
 * number) so that any consumer or tool can read them.
 */
public final class Provenance {

  /** Default prefix of every provenance header. */
  public static final String DEFAULT_PREFIX = "kdr.";

  /** Suffix of the header naming the cluster alias where the record was first written. */
  public static final String ORIGIN = "origin";

  /** Suffix of the header holding the record's offset on its origin cluster. */
  public static final String ORIGIN_OFFSET = "origin.offset";

  /** Suffix of the header holding the record's timestamp on its origin cluster. */
  public static final String ORIGIN_TIMESTAMP = "origin.timestamp";

  /** Suffix of the header counting the replication hops the record has made. */
  public static final String HOPS = "hops";

  private Provenance() {}

  /** The last value of header {@code name} as text, or null. */
  static String text(Headers headers, String name) {
    Header header = headers.lastWithName(name);
    if (header == null || header.value() == null) {
      return null;
    }
    Object value = header.value();
    return value instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }

  /** {@code text} encoded as a header value. */
  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
