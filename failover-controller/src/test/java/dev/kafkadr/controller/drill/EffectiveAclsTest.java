package dev.kafkadr.controller.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class EffectiveAclsTest {

  private static AclBinding acl(
      String name, PatternType type, String principal, AclOperation op, AclPermissionType perm) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, name, type),
        new AccessControlEntry(principal, "*", op, perm));
  }

  private static boolean allowed(List<AclBinding> acls, AclOperation op, String topic) {
    return EffectiveAcls.allowed(acls, "User:app", op, ResourceType.TOPIC, topic);
  }

  @Test
  void literalPrefixedAndWildcardNamesMatchAsKafkaMatchesThem() {
    var prefixed =
        List.of(
            acl(
                "pay.",
                PatternType.PREFIXED,
                "User:app",
                AclOperation.WRITE,
                AclPermissionType.ALLOW));
    assertThat(allowed(prefixed, AclOperation.WRITE, "pay.orders")).isTrue();
    assertThat(allowed(prefixed, AclOperation.WRITE, "payments")).isFalse();
    var literal =
        List.of(
            acl(
                "pay.orders",
                PatternType.LITERAL,
                "User:app",
                AclOperation.READ,
                AclPermissionType.ALLOW));
    assertThat(allowed(literal, AclOperation.READ, "pay.orders")).isTrue();
    assertThat(allowed(literal, AclOperation.READ, "pay.orders2")).isFalse();
    var wildcard =
        List.of(acl("*", PatternType.LITERAL, "User:*", AclOperation.ALL, AclPermissionType.ALLOW));
    assertThat(allowed(wildcard, AclOperation.WRITE, "anything")).isTrue();
  }

  @Test
  void denyWinsAndNoAllowMeansNo() {
    var acls =
        List.of(
            acl(
                "pay.",
                PatternType.PREFIXED,
                "User:app",
                AclOperation.WRITE,
                AclPermissionType.ALLOW),
            acl(
                "pay.orders",
                PatternType.LITERAL,
                "User:*",
                AclOperation.ALL,
                AclPermissionType.DENY));
    assertThat(allowed(acls, AclOperation.WRITE, "pay.orders")).isFalse();
    assertThat(allowed(acls, AclOperation.WRITE, "pay.refunds")).isTrue();
    assertThat(allowed(List.of(), AclOperation.READ, "pay.orders")).isFalse();
  }

  @Test
  void readAndWriteImplyDescribeButNotEachOther() {
    var acls =
        List.of(
            acl(
                "pay.",
                PatternType.PREFIXED,
                "User:app",
                AclOperation.WRITE,
                AclPermissionType.ALLOW));
    assertThat(allowed(acls, AclOperation.DESCRIBE, "pay.orders")).isTrue();
    assertThat(allowed(acls, AclOperation.READ, "pay.orders")).isFalse();
  }

  @Test
  void anAllowForOneHostDoesNotCountForEveryHost() {
    var acls =
        List.of(
            new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "pay.", PatternType.PREFIXED),
                new AccessControlEntry(
                    "User:app", "10.0.0.1", AclOperation.WRITE, AclPermissionType.ALLOW)));
    assertThat(allowed(acls, AclOperation.WRITE, "pay.orders")).isFalse();
  }
}
