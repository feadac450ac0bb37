package dev.kafkadr.controller.lag;

import dev.kafkadr.tenant.Provenance;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One copied record as a scan read it, with what is needed to tell whether the source still holds
 * the record it was copied from: its source offset and timestamp (from the provenance header) and a
 * SHA-256 digest of its key and value. A record of an earlier incarnation of the source topic has,
 * at the same offset, a different record (or none) in the current one.
 *
 * @param copyOffset the record's offset in the copy
 * @param sourceOffset the offset it was copied from
 * @param timestamp the source record's timestamp, as its provenance header gives it
 * @param digest SHA-256 of the key's length, key, value's length and value
 */
record CopyTail(long copyOffset, long sourceOffset, long timestamp, byte[] digest) {

  /** The record as copied from {@code source} (one hop); empty for any other record. */
  static Optional<CopyTail> of(ConsumerRecord<byte[], byte[]> r, String source) {
    Header h = r.headers().lastHeader(Provenance.DEFAULT_HEADER);
    if (h == null || Provenance.copiedFrom(h.value(), source).isEmpty()) {
      return Optional.empty();
    }
    Provenance p = Provenance.parse(h.value()).orElseThrow();
    return Optional.of(new CopyTail(r.offset(), p.originOffset(), p.originTimestamp(), digest(r)));
  }

  /** Whether {@code source} is the record this one was copied from: same offset, time and bytes. */
  boolean copies(ConsumerRecord<byte[], byte[]> source) {
    return source.offset() == sourceOffset
        && source.timestamp() == timestamp
        && Arrays.equals(digest(source), digest);
  }

  static byte[] digest(ConsumerRecord<byte[], byte[]> r) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] part : new byte[][] {r.key(), r.value()}) {
        sha.update(ByteBuffer.allocate(4).putInt(part == null ? -1 : part.length).array());
        if (part != null) {
          sha.update(part);
        }
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CopyTail t
        && t.copyOffset == copyOffset
        && t.sourceOffset == sourceOffset
        && t.timestamp == timestamp
        && Arrays.equals(t.digest, digest);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(copyOffset) * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "copy offset " + copyOffset + " <- source offset " + sourceOffset;
  }
}
