package dev.kafkadr.controller.migration;

import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Confluent's Schema Registry wire format: magic byte 0, then the schema id as a 4-byte big-endian
 * integer, then the serialized record. A topic whose values carry it needs the same schema ids in
 * the target's registry, or its consumers cannot read the copy.
 */
public final class WireFormat {

  private WireFormat() {}

  /**
   * The schema id {@code value} names, when it starts like the wire format (magic byte 0, at least
   * 5 bytes, a positive id); empty otherwise (null, shorter, another first byte). A match is a
   * strong hint, not proof: any binary value may start so.
   */
  public static OptionalInt schemaId(byte[] value) {
    if (value == null || value.length < 5 || value[0] != 0) {
      return OptionalInt.empty();
    }
    int id =
        ((value[1] & 0xff) << 24)
            | ((value[2] & 0xff) << 16)
            | ((value[3] & 0xff) << 8)
            | (value[4] & 0xff);
    return id > 0 ? OptionalInt.of(id) : OptionalInt.empty();
  }

  /**
   * What a sample of a topic's values looks like.
   *
   * @param sampled values read
   * @param framed values in the wire format
   * @param schemaIds the schema ids seen
   */
  public record Sample(int sampled, int framed, SortedSet<Integer> schemaIds) {

    /** Nothing read. */
    public static Sample empty() {
      return new Sample(0, 0, new TreeSet<>());
    }

    /** This sample with {@code value} read too. */
    public Sample with(byte[] value) {
      OptionalInt id = schemaId(value);
      SortedSet<Integer> ids = new TreeSet<>(schemaIds);
      id.ifPresent(ids::add);
      return new Sample(sampled + 1, framed + (id.isPresent() ? 1 : 0), ids);
    }

    /** Both samples together. */
    public static Sample merge(Sample a, Sample b) {
      SortedSet<Integer> ids = new TreeSet<>(a.schemaIds);
      ids.addAll(b.schemaIds);
      return new Sample(a.sampled + b.sampled, a.framed + b.framed, ids);
    }

    /** Whether most sampled values (more than half, at least one) are in the wire format. */
    public boolean looksFramed() {
      return framed > 0 && framed * 2 > sampled;
    }
  }
}
