package dev.kafkadr.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkadr.config.ClusterSpec;
import dev.kafkadr.config.MskCapacity;
import dev.kafkadr.controller.migration.MigrationPlan;
import dev.kafkadr.controller.migration.MigrationPlanner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code kdr migrate plan} on the secured sandbox: the inventory of tenant {@code shop} checked
 * against what the test wrote and what the clusters say when asked directly, a topic of Confluent
 * wire-format values recognised with its schema ids, a live group's member named by client id, and
 * MSK's partition limits applied to the target as the tenants file declares it.
 */
@QuarkusTest
@QuarkusTestResource(value = SecuredTenants.class, restrictToAnnotatedClass = true)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class MigrationPlanIT {

  @jakarta.inject.Inject LagMonitor monitor;

  private static final String FRAMED = "shop.plan-framed";
  private static final String GROUP = "shop-plan-readers";

  @Test
  @Order(1)
  @SuppressWarnings("unchecked")
  void thePlanCountsWhatIsThereRecognisesSchemasAndNamesTheGroupsMembers() throws Exception {
    var primary = SandboxTenants.sandbox.primary();
    int framed = 30;
    writeFramed(framed);
    Map<String, Object> reader = new HashMap<>(primary.adminConfig());
    reader.put("group.id", GROUP);
    reader.put("client.id", "plan-reader-1");
    reader.put("auto.offset.reset", "earliest");
    try (var consumer =
        new KafkaConsumer<>(reader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(FRAMED));
      List<Object> read = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= 20;
              });
      // Commit part of each partition only: the plan's lag must be the records after it.
      Map<
              org.apache.kafka.common.TopicPartition,
              org.apache.kafka.clients.consumer.OffsetAndMetadata>
          partial = new HashMap<>();
      long committed = 0;
      for (var tp : consumer.assignment()) {
        long at = Math.min(2, consumer.endOffsets(List.of(tp)).get(tp));
        partial.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(at));
        committed += at;
      }
      consumer.commitSync(partial);
      assertThat(committed).as("offsets committed").isLessThan(framed);

      var run = Kdr.asUser(SandboxTenants.VIEWER, "migrate", "plan", "--tenant", "shop", "--json");
      assertThat(run.getKey()).as(run.getValue()).isZero();
      JsonPath plan = new JsonPath(run.getValue().substring(run.getValue().indexOf('{')));
      assertThat(plan.getString("source")).isEqualTo("primary");
      assertThat(plan.getString("target")).isEqualTo("secondary");
      assertThat(plan.getList("blockers")).isEmpty();

      Map<String, Object> topic = topic(plan, FRAMED);
      assertThat(topic.get("partitions")).isEqualTo(3);
      assertThat(topic.get("records")).isEqualTo(framed);
      assertThat(topic.get("compacted")).isEqualTo(true);
      assertThat((Map<Object, Object>) topic.get("configs"))
          .containsEntry("cleanup.policy", "compact")
          .containsEntry("retention.ms", "3600000");
      Map<?, ?> sample = (Map<?, ?>) topic.get("wireFormat");
      assertThat(sample.get("framed")).isEqualTo(sample.get("sampled"));
      assertThat((List<Object>) sample.get("schemaIds")).containsExactly(17, 42);
      assertThat(plan.getList("warnings", String.class))
          .anyMatch(w -> w.startsWith(FRAMED + ": 30 of 30 sampled values are in Confluent"));

      long orders = primary.endOffsetSum("shop.orders");
      assertThat(topic(plan, "shop.orders").get("records")).isEqualTo((int) orders);
      assertThat(topic(plan, "shop.orders").get("wireFormat").toString()).contains("framed=0");

      Map<String, Object> group = group(plan, GROUP);
      assertThat(group.get("lag")).isEqualTo((int) (framed - committed));
      assertThat(group.get("members").toString()).contains("plan-reader-1");
      assertThat(plan.getList("acls", String.class))
          .anyMatch(a -> a.contains("User:" + SecuredTenants.PRODUCER));
      assertThat(plan.getList("producerPrincipals"))
          .containsExactly("User:" + SecuredTenants.PRODUCER);
      assertThat(plan.getList("producers")).isNotEmpty();

      var table = Kdr.asUser(SandboxTenants.VIEWER, "migrate", "plan", "--tenant", "shop");
      System.out.println(table.getValue());
      assertThat(table.getValue()).contains("Migration plan of shop: primary -> secondary");
      assertThat(table.getValue()).contains("plan-reader-1 @ ");
    }
  }

  /**
   * A backlog built while the tenant's source connector is paused shows in {@code kdr migrate
   * status} as offsets not yet copied; once the connector runs again, {@code --follow} reads until
   * the copy has caught up and exits 0, with the rate measured from the scans it saw.
   */
  @Test
  @Order(2)
  void theCopysProgressGoesFromItsBacklogToCaughtUp() throws Exception {
    String source = "shop.primary-to-secondary.source";
    var connect = SandboxTenants.sandbox.connect();
    await().atMost(Duration.ofSeconds(60)).until(() -> connect.status(source).isRunning());
    connect.pauseRunning(source, Duration.ofSeconds(30));
    int backlog = 3000;
    try (var producer =
        new KafkaProducer<>(
            SandboxTenants.sandbox.primary().adminConfig(),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < backlog; i++) {
        producer.send(new ProducerRecord<>("shop.orders", ("b" + i).getBytes(), new byte[100]));
      }
    }
    JsonPath paused =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  var run =
                      Kdr.asUser(
                          SandboxTenants.VIEWER, "migrate", "status", "--tenant", "shop", "--json");
                  return run.getKey() == 0
                      ? new JsonPath(run.getValue().substring(run.getValue().indexOf('{')))
                      : null;
                },
                p -> p != null && p.getLong("total.remaining") >= backlog);
    System.out.println("paused: " + paused.prettify());
    assertThat(paused.getDouble("total.percent")).isLessThan(100.0);
    connect.resume(source);
    var follow =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                Kdr.asUser(
                    SandboxTenants.VIEWER,
                    "migrate",
                    "status",
                    "--tenant",
                    "shop",
                    "--follow",
                    "--interval-seconds",
                    "1",
                    "--json"));
    var done = follow.get(120, TimeUnit.SECONDS);
    assertThat(done.getKey()).as(done.getValue()).isZero();
    List<String> reads = done.getValue().lines().filter(l -> l.startsWith("{")).toList();
    JsonPath last = new JsonPath(reads.get(reads.size() - 1));
    assertThat(last.getLong("total.remaining")).isZero();
    assertThat(last.getDouble("total.percent")).isEqualTo(100.0);
    assertThat(last.getDouble("offsetsPerSecond")).as(last.prettify()).isPositive();
    var table = Kdr.asUser(SandboxTenants.VIEWER, "migrate", "status", "--tenant", "shop");
    System.out.println(table.getValue());
    assertThat(table.getValue()).contains("shop: primary -> secondary", "100.0%", "shop.orders");
  }

  /**
   * With the target declared as one {@code kafka.t3.small} broker, the plan counts the target's
   * partition replicas as the cluster reports them and applies MSK's limit for that type (300).
   */
  @Test
  @Order(3)
  void mskLimitsAreAppliedToTheTargetAsDeclared() throws Exception {
    var file = monitor.tenants();
    List<ClusterSpec> clusters = new ArrayList<>();
    for (ClusterSpec c : file.clusters()) {
      clusters.add(
          c.alias().equals("secondary")
              ? new ClusterSpec(
                  c.alias(),
                  c.bootstrap(),
                  c.security(),
                  c.region(),
                  new MskCapacity("kafka.t3.small", 1))
              : c);
    }
    var declared =
        new dev.kafkadr.config.TenantsFile(
            clusters,
            file.flows(),
            file.tenants(),
            file.overrides(),
            file.quotas(),
            file.access(),
            file.deploy(),
            file.traffic(),
            file.connect(),
            file.drills(),
            file.failover());
    var shop = file.tenants().stream().filter(t -> t.id().equals("shop")).findFirst().orElseThrow();
    MigrationPlan plan = new MigrationPlanner(declared).plan(shop, "secondary");
    long replicas;
    try (Admin admin = Admin.create(SandboxTenants.sandbox.secondary().adminConfig())) {
      var names =
          admin
              .listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
              .names()
              .get(30, TimeUnit.SECONDS);
      replicas =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
              .mapToLong(d -> d.partitions().stream().mapToLong(p -> p.replicas().size()).sum())
              .sum();
    }
    var capacity = plan.capacity();
    System.out.println("target capacity as planned: " + capacity);
    assertThat(capacity.brokers()).isEqualTo(1);
    assertThat(capacity.brokerType()).isEqualTo("kafka.t3.small");
    assertThat(capacity.recommendedPerBroker()).isEqualTo(300);
    assertThat(capacity.updatablePerBroker()).isEqualTo(300);
    // Topics may be created between the two reads (MM2 mirrors new ones): a small window.
    assertThat(capacity.replicasNow()).isBetween(replicas - 5, replicas + 5);
    long added =
        plan.topics().stream()
            .filter(t -> !t.existsOnTarget())
            .mapToLong(MigrationPlan.TopicPlan::partitions)
            .sum();
    assertThat(capacity.replicationFactor()).as("shop's replication.factor override").isEqualTo(1);
    assertThat(capacity.replicasAdded()).isEqualTo(added);
    boolean over = capacity.replicasNow() + capacity.replicasAdded() > 300;
    assertThat(plan.blockers().stream().anyMatch(b -> b.contains("kafka.t3.small broker")))
        .as("blockers %s for %s", plan.blockers(), capacity)
        .isEqualTo(over);
  }

  /**
   * {@code kdr migrate verify} compares every committed record of shop's topics from each log start
   * (the compacted one per key) with its copy and passes; its counts per partition equal the
   * records a read-committed consumer of the test finds between the same offsets on the source.
   */
  @Test
  @Order(4)
  void aVerifyComparesEveryRecordFromTheLogStartAndPasses() throws Exception {
    ShopTopic.produceOnPrimary("verify-", 200);
    var cli =
        Kdr.asUser(
            SandboxTenants.OPERATOR, "migrate", "verify", "--tenant", "shop", "--poll-ms", "200");
    System.out.println(cli.getValue());
    assertThat(cli.getKey()).as(cli.getValue()).isZero();
    String id =
        cli.getValue().lines().filter(l -> l.startsWith("started ")).findFirst().orElseThrow();
    JsonPath run =
        Api.viewer()
            .get("/api/workflows/" + id.substring(8).strip())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(run.getString("state")).isEqualTo("SUCCEEDED");
    Map<String, Map<String, Object>> partitions = run.getMap("facts.migrationCompleteness");
    assertThat(partitions.keySet()).contains("shop.orders-0", FRAMED + "-0");
    long compared = 0;
    for (var e : partitions.entrySet()) {
      long from = ((Number) e.getValue().get("from")).longValue();
      long cut = ((Number) e.getValue().get("cut")).longValue();
      long counted = committedRecords(e.getKey(), from, cut);
      assertThat(((Number) e.getValue().get("sourceRecords")).longValue())
          .as(
              "%s: the verify's records in [%d, %d) against the test's own read",
              e.getKey(), from, cut)
          .isEqualTo(counted);
      if (!e.getKey().startsWith(FRAMED)) {
        assertThat(((Number) e.getValue().get("matched")).longValue())
            .as(e.getKey())
            .isEqualTo(counted);
      }
      compared += counted;
    }
    assertThat(compared).as("at least the records this test wrote").isGreaterThanOrEqualTo(200);
    assertThat(cli.getValue()).contains("migration-verify of shop passed");
  }

  /**
   * A record forged on the target with a real copy's provenance but another value fails the verify,
   * naming the partition and both offsets; shop's switchover to that cluster (the cut-over) is then
   * refused, naming the verify. Last: the forged record stays in the copy.
   */
  @Test
  @Order(5)
  void aCopyCorruptedOnPurposeFailsTheVerifyAndHoldsBackTheCutOver() throws Exception {
    var secondary = SandboxTenants.sandbox.secondary();
    var copy = new org.apache.kafka.common.TopicPartition("shop.orders", 0);
    org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> real = lastRecord(copy);
    long realSource =
        dev.kafkadr.tenant.Provenance.copiedFrom(
                real.headers().lastHeader(dev.kafkadr.tenant.Provenance.DEFAULT_HEADER).value(),
                dev.kafkadr.sandbox.Sandbox.PRIMARY)
            .orElseThrow();
    long forgedAt;
    try (var producer =
        new KafkaProducer<>(
            secondary.adminConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      var forged =
          new ProducerRecord<>(
              copy.topic(), copy.partition(), real.timestamp(), real.key(), "forged".getBytes());
      real.headers().forEach(h -> forged.headers().add(h));
      forgedAt = producer.send(forged).get().offset();
    }
    JsonPath run = Api.awaitEnd(Api.start("shop", "migration-verify"));
    System.out.println("corrupted copy: " + run.getString("error"));
    assertThat(run.getString("state")).isEqualTo("FAILED");
    assertThat(run.getString("error"))
        .contains(
            "shop.orders-0",
            "the first at source offset " + realSource + " (copy offset " + forgedAt + ")");
    // The run reads FAILED a moment before it lets go of the tenant: until then, "already has a
    // workflow running" is the refusal.
    String refused =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    Api.operator()
                        .body(Map.of("kind", "switchover"))
                        .post("/api/tenants/shop/workflows")
                        .then()
                        .statusCode(409)
                        .extract()
                        .jsonPath()
                        .getString("error"),
                e -> !e.contains("already has a workflow running"));
    assertThat(refused).contains(run.getString("id"), "found the copy wrong", "shop.orders-0");
  }

  /**
   * A failover asked for while a migration verify holds the tenant, waiting for a paused copy, does
   * not wait for it: the verify stops, failing with the failover's id, and the failover runs. Last:
   * shop ends on the secondary.
   */
  @Test
  @Order(6)
  void aFailoverPreemptsAVerifyThatHoldsTheTenant() throws Exception {
    String source = "shop.primary-to-secondary.source";
    SandboxTenants.sandbox.connect().pauseRunning(source, Duration.ofSeconds(30));
    ShopTopic.produceOnPrimary("behind-", 20);
    String verify = Api.start("shop", "migration-verify");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Api.viewer()
                    .get("/api/workflows/" + verify)
                    .jsonPath()
                    .getString("steps.find { it.name == 'await-copy' }.state"),
            "RUNNING"::equals);
    long asked = System.nanoTime();
    String failover = Api.start("shop", "failover");
    double startedAfter = (System.nanoTime() - asked) / 1e9;
    JsonPath stopped = Api.awaitEnd(verify);
    assertThat(stopped.getString("state")).isEqualTo("FAILED");
    assertThat(stopped.getString("error"))
        .as("interrupted while it waited for the copy, not at the end of the wait (the RPO, 30 s)")
        .startsWith("await-copy: preempted by failover " + failover);
    assertThat(startedAfter)
        .as("seconds the failover waited for the verify to let go")
        .isLessThan(10);
    JsonPath done = Api.awaitEnd(failover);
    assertThat(done.getString("state")).as(done.prettify()).isEqualTo("SUCCEEDED");
    System.out.printf(
        "failover %s preempted migration verify %s (%s); started %.2f s after it was asked%n",
        failover, verify, stopped.getString("error"), startedAfter);
  }

  /** The committed records of {@code partition} ({@code topic-N}) on the primary in [from, cut). */
  private static long committedRecords(String partition, long from, long cut) {
    int dash = partition.lastIndexOf('-');
    var tp =
        new org.apache.kafka.common.TopicPartition(
            partition.substring(0, dash), Integer.parseInt(partition.substring(dash + 1)));
    Map<String, Object> config = new HashMap<>(SandboxTenants.sandbox.primary().adminConfig());
    config.put("isolation.level", "read_committed");
    long n = 0;
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, from);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.position(tp) < cut) {
        assertThat(System.nanoTime())
            .as("reading %s up to %d", partition, cut)
            .isLessThan(deadline);
        for (var r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
          if (r.offset() < cut) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /** The newest record of {@code tp} on the secondary. */
  private static org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> lastRecord(
      org.apache.kafka.common.TopicPartition tp) {
    try (var consumer =
        new KafkaConsumer<>(
            SandboxTenants.sandbox.secondary().adminConfig(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      consumer.seek(tp, end - 1);
      return await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> consumer.poll(Duration.ofMillis(200)).records(tp), l -> !l.isEmpty())
          .get(0);
    }
  }

  /** Creates {@link #FRAMED} (compacted, 3 partitions) with {@code records} framed values. */
  private static void writeFramed(int records) throws Exception {
    var primary = SandboxTenants.sandbox.primary();
    try (Admin admin = Admin.create(primary.adminConfig())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(FRAMED, 3, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact", "retention.ms", "3600000"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (var producer =
        new KafkaProducer<>(
            primary.adminConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < records; i++) {
        ByteBuffer value = ByteBuffer.allocate(5 + 8).put((byte) 0).putInt(i % 2 == 0 ? 17 : 42);
        value.putLong(i);
        producer.send(new ProducerRecord<>(FRAMED, ("k" + i).getBytes(), value.array())).get();
      }
    }
  }

  private static Map<String, Object> topic(JsonPath plan, String name) {
    return plan.getMap("topics.find { it.name == '" + name + "' }");
  }

  private static Map<String, Object> group(JsonPath plan, String name) {
    return plan.getMap("groups.find { it.group == '" + name + "' }");
  }
}
