package dev.kafkadr.controller.workflow;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.AbortTransactionOptions;
import org.apache.kafka.clients.admin.AbortTransactionResult;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.AlterConfigsResult;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.CreateAclsOptions;
import org.apache.kafka.clients.admin.CreateAclsResult;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DeleteAclsOptions;
import org.apache.kafka.clients.admin.DeleteAclsResult;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsResult;
import org.apache.kafka.clients.admin.FenceProducersOptions;
import org.apache.kafka.clients.admin.FenceProducersResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupResult;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;

/**
 * A workflow's admin client (Kafka's {@link ForwardingAdmin}) that calls {@code beforeEffect} with
 * the kind of change ({@code acl}, {@code offsets}, {@code topic}, {@code config}, {@code
 * transaction}, {@code group}) before each request that changes a cluster, so a replica whose
 * leader lease has ended makes none: the check throws and the request is never sent. Reads pass
 * through unchecked.
 */
final class GuardedAdmin extends ForwardingAdmin {

  private final Consumer<String> beforeEffect;

  GuardedAdmin(Map<String, Object> config, Consumer<String> beforeEffect) {
    super(config);
    this.beforeEffect = beforeEffect;
  }

  @Override
  public CreateAclsResult createAcls(Collection<AclBinding> acls, CreateAclsOptions options) {
    beforeEffect.accept("acl");
    return super.createAcls(acls, options);
  }

  @Override
  public DeleteAclsResult deleteAcls(
      Collection<AclBindingFilter> filters, DeleteAclsOptions options) {
    beforeEffect.accept("acl");
    return super.deleteAcls(filters, options);
  }

  @Override
  public AlterConsumerGroupOffsetsResult alterConsumerGroupOffsets(
      String groupId,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      AlterConsumerGroupOffsetsOptions options) {
    beforeEffect.accept("offsets");
    return super.alterConsumerGroupOffsets(groupId, offsets, options);
  }

  @Override
  public DeleteConsumerGroupOffsetsResult deleteConsumerGroupOffsets(
      String groupId, Set<TopicPartition> partitions, DeleteConsumerGroupOffsetsOptions options) {
    beforeEffect.accept("offsets");
    return super.deleteConsumerGroupOffsets(groupId, partitions, options);
  }

  @Override
  public RemoveMembersFromConsumerGroupResult removeMembersFromConsumerGroup(
      String groupId, RemoveMembersFromConsumerGroupOptions options) {
    beforeEffect.accept("group");
    return super.removeMembersFromConsumerGroup(groupId, options);
  }

  @Override
  public CreateTopicsResult createTopics(Collection<NewTopic> topics, CreateTopicsOptions options) {
    beforeEffect.accept("topic");
    return super.createTopics(topics, options);
  }

  @Override
  public DeleteTopicsResult deleteTopics(TopicCollection topics, DeleteTopicsOptions options) {
    beforeEffect.accept("topic");
    return super.deleteTopics(topics, options);
  }

  @Override
  public AlterConfigsResult incrementalAlterConfigs(
      Map<ConfigResource, Collection<AlterConfigOp>> configs, AlterConfigsOptions options) {
    beforeEffect.accept("config");
    return super.incrementalAlterConfigs(configs, options);
  }

  @Override
  public AbortTransactionResult abortTransaction(
      AbortTransactionSpec spec, AbortTransactionOptions options) {
    beforeEffect.accept("transaction");
    return super.abortTransaction(spec, options);
  }

  @Override
  public FenceProducersResult fenceProducers(
      Collection<String> transactionalIds, FenceProducersOptions options) {
    beforeEffect.accept("transaction");
    return super.fenceProducers(transactionalIds, options);
  }
}
