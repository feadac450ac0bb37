package dev.kafkadr.controller.drill;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What a drill compares of a record and its copy: timestamp, key, value and headers (in order),
 * leaving out kafka-dr's own headers (names starting {@code kdr.}, which only the copy carries), as
 * the first 8 bytes of their SHA-256. Two records with the same digest are taken as the same record
 * (a chance collision is one in 2^64 per pair).
 */
public final class RecordDigest {

  /** The prefix of header names kafka-dr adds to copies. */
  public static final String OWN_HEADERS = "kdr.";

  private RecordDigest() {}

  /** One digest per reading thread, reset before each record (getInstance costs per call). */
  private static final ThreadLocal<MessageDigest> SHA =
      ThreadLocal.withInitial(RecordDigest::sha256);

  /** The digest of {@code r}. */
  public static long of(ConsumerRecord<byte[], byte[]> r) {
    MessageDigest sha = SHA.get();
    sha.reset();
    byte[] n = new byte[8];
    long t = r.timestamp();
    for (int i = 7; i >= 0; i--) {
      n[i] = (byte) t;
      t >>>= 8;
    }
    sha.update(n);
    field(sha, r.key());
    field(sha, r.value());
    for (Header h : r.headers()) {
      if (!h.key().startsWith(OWN_HEADERS)) {
        field(sha, h.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        field(sha, h.value());
      }
    }
    return ByteBuffer.wrap(sha.digest()).getLong();
  }

  private static void field(MessageDigest sha, byte[] bytes) {
    int len = bytes == null ? -1 : bytes.length;
    sha.update((byte) (len >>> 24));
    sha.update((byte) (len >>> 16));
    sha.update((byte) (len >>> 8));
    sha.update((byte) len);
    if (bytes != null) {
      sha.update(bytes);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
