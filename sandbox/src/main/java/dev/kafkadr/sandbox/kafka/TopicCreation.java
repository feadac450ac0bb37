package dev.kafkadr.sandbox.kafka;

import dev.kafkadr.sandbox.SandboxException;
import dev.kafkadr.sandbox.process.Io;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Topic creation that returns only once every new partition's leader serves requests. */
final class TopicCreation {

  private TopicCreation() {}

  /**
   * Creates {@code topics} through {@code admin} on cluster {@code name}; see {@link
   * KafkaClusterProcesses#createTopics(List, Duration)}.
   *
   * @throws SandboxException when creation fails or a leader does not serve within {@code timeout}
   */
  static void createAndAwaitLeaders(
      Admin admin, String name, List<NewTopic> topics, Duration timeout) {
    try {
      admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetSpec> partitions = new java.util.HashMap<>();
      List<String> described = new java.util.ArrayList<>();
      for (NewTopic topic : topics) {
        if (topic.numPartitions() > 0) {
          for (int p = 0; p < topic.numPartitions(); p++) {
            partitions.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
          }
        } else {
          described.add(topic.name());
        }
      }
      if (!described.isEmpty()) {
        // The broker's default partition count: read it back, once metadata has caught up.
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
          try {
            admin
                .describeTopics(described)
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .forEach(
                    (topic, d) ->
                        d.partitions()
                            .forEach(
                                p ->
                                    partitions.put(
                                        new TopicPartition(topic, p.partition()),
                                        OffsetSpec.latest())));
            break;
          } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
            if (System.nanoTime() > until) {
              throw notYet;
            }
            Io.sleep(50);
          }
        }
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
          if (System.nanoTime() > deadline) {
            throw new SandboxException(
                name
                    + ": partitions of "
                    + topics.stream().map(NewTopic::name).toList()
                    + " have no serving leader after "
                    + timeout
                    + ": "
                    + notYet.getMessage(),
                notYet);
          }
          Io.sleep(50);
        }
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new SandboxException(
          name
              + ": cannot create "
              + topics.stream().map(NewTopic::name).toList()
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxException("interrupted creating topics", e);
    }
  }
}
