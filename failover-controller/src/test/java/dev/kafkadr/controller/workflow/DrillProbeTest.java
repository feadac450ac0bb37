package dev.kafkadr.controller.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which error a refused drill probe is reported by. */
class DrillProbeTest {

  @Test
  void aRefusalWrappedInTheProducersErrorStateIsFoundBehindIt() {
    var refusal = new ClusterAuthorizationException("Cluster authorization failed.");
    var wrapped =
        new KafkaException(
            "Cannot execute transactional method because we are in an error state", refusal);
    assertThat(DrillProbe.rootOfRefusal(wrapped)).isSameAs(refusal);
  }

  @Test
  void aRefusedLoginIsFoundAndAnyOtherErrorIsKeptAsItIs() {
    var login = new SaslAuthenticationException("bad password");
    assertThat(DrillProbe.rootOfRefusal(new KafkaException("x", login))).isSameAs(login);
    var timeout = new TimeoutException("no ack");
    var other = new KafkaException("x", timeout);
    assertThat(DrillProbe.rootOfRefusal(other)).isSameAs(other);
  }
}
