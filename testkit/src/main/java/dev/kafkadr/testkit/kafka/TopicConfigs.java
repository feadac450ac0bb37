package dev.kafkadr.testkit.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/** Changes to a topic's configuration a test makes, as an operator would with kafka-configs. */
public final class TopicConfigs {

  private TopicConfigs() {}

  /**
   * Sets {@code key} to {@code value} on {@code topic} (an incremental SET, other settings kept).
   *
   * @throws Exception when the cluster refuses it or does not answer within 30 s
   */
  public static void set(Admin admin, String topic, String key, String value) throws Exception {
    admin
        .incrementalAlterConfigs(
            Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);
  }
}
