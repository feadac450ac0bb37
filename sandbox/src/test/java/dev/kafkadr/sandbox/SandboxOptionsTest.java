package dev.kafkadr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SandboxOptionsTest {

  @Test
  void defaultOptionsAreValid() {
    assertThat(Sandbox.builder().options().problems()).isEmpty();
  }

  @Test
  void reportsEveryBadOptionAtOnceNamingEach() {
    SandboxBuilder builder =
        Sandbox.builder()
            .name("../escape")
            .brokersPerCluster(0)
            .connectWorkers(9)
            .brokerHeap("lots");

    assertThat(builder.options().problems())
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).startsWith("name: \"../escape\""))
        .anySatisfy(p -> assertThat(p).startsWith("brokersPerCluster: 0"))
        .anySatisfy(p -> assertThat(p).startsWith("connectWorkers: 9"))
        .anySatisfy(p -> assertThat(p).startsWith("brokerHeap: \"lots\""));
    assertThatThrownBy(builder::start)
        .isInstanceOf(SandboxException.class)
        .hasMessageContaining("brokersPerCluster")
        .hasMessageContaining("connectWorkers");
  }
}
