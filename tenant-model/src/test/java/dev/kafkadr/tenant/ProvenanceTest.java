package dev.kafkadr.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProvenanceTest {

  @Test
  void onlyARecordCopiedStraightFromTheAliasNamesItsSourceOffset() {
    byte[] fromPrimary = new Provenance(1, 42, 7, "primary").toBytes();
    assertThat(Provenance.copiedFrom(fromPrimary, "primary")).contains(42L);
    assertThat(Provenance.copiedFrom(fromPrimary, "secondary")).isEmpty();
    assertThat(Provenance.copiedFrom(new Provenance(2, 42, 7, "primary").toBytes(), "primary"))
        .as("two hops away")
        .isEmpty();
    assertThat(Provenance.copiedFrom(null, "primary")).as("no header").isEmpty();
    assertThat(Provenance.copiedFrom("garbage".getBytes(), "primary")).isEmpty();
  }
}
