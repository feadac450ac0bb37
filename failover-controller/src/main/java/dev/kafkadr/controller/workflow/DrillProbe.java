package dev.kafkadr.controller.workflow;

import dev.kafkadr.config.Secrets;
import dev.kafkadr.config.TenantAccess;
import dev.kafkadr.config.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The verify drill's writability, exercised where the tenant lets it: for every producer that
 * registers a drill credential ({@link TenantAccess.DrillCredential}), a probe record is written as
 * that principal on the other cluster, at its client bootstrap ({@code traffic.clusters.<alias>
 * .clientBootstrap}), to the drill topic {@code <namespace>.kdr-drill} (created by the drill and
 * deleted after it, never a tenant topic; the tenant's prefixed WRITE covers it), and read back by
 * the controller. A producer without a credential keeps its permissions compared only ({@link
 * DrillAccess}). The probe is not made while kafka-dr's own fence on the other cluster denies the
 * tenant's producers (an earlier move left it; a switchover lifts it): the report says so.
 */
final class DrillProbe implements Step {

  /** The drill topic's name after the tenant's namespace. */
  static final String SUFFIX = ".kdr-drill";

  @Override
  public String name() {
    return "probe-writability";
  }

  @Override
  public String plan(StepContext c) {
    return "would write a probe record to "
        + c.tenant().namespace()
        + SUFFIX
        + " on "
        + c.to().alias()
        + " as each producer that registers a drill credential, read it back, and delete the topic";
  }

  @Override
  @SuppressWarnings("unchecked")
  public Outcome run(StepContext c) throws Exception {
    List<TenantAccess> producers =
        c.file().access().getOrDefault(c.tenant().id(), List.of()).stream()
            .filter(a -> a.drillCredential() != null)
            .toList();
    if (producers.isEmpty()) {
      return Outcome.of(
          "not run: no producer of the tenant registers a drill credential (writability compared,"
              + " not exercised)");
    }
    Map<String, Object> w =
        new LinkedHashMap<>(
            (Map<String, Object>) c.facts().getOrDefault("drillWritability", Map.of()));
    List<String> failures = new ArrayList<>((List<String>) w.getOrDefault("failures", List.of()));
    String notExercised = notExercised(c);
    Map<String, Object> probes = new LinkedHashMap<>();
    if (notExercised == null) {
      String topic = c.tenant().namespace() + SUFFIX;
      Admin admin = c.admin(c.to());
      Finish.ensureTopic(admin, topic); // one left by a drill that crashed is reused
      try {
        for (TenantAccess p : producers) {
          String failure = probe(c, p, topic, probes);
          if (failure != null) {
            failures.add(failure);
          }
        }
      } finally {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      }
      w.put("status", "exercised for " + probes.size() + " producer(s), the rest compared");
    } else {
      w.put("status", "compared, not exercised: " + notExercised);
    }
    w.put("probes", probes);
    w.put("failures", failures);
    w.put("passed", failures.isEmpty());
    return new Outcome(
        notExercised != null
            ? "not exercised: " + notExercised
            : probes.size()
                + " producer(s) probed on "
                + c.to().alias()
                + (failures.isEmpty() ? ": each wrote and was read back" : ": " + failures),
        Map.of("drillWritability", w));
  }

  /** Why no probe can be made now, or null. */
  private static String notExercised(StepContext c) throws Exception {
    Traffic.ClusterTraffic t = c.file().traffic().clusters().get(c.to().alias());
    if (t == null || t.clientBootstrap() == null) {
      return "traffic.clusters." + c.to().alias() + ".clientBootstrap is not set";
    }
    var fences = Fences.bindings(c.file(), c.tenant(), Fences.Kind.PRODUCERS);
    if (Fences.missing(c.admin(c.to()), fences).size() != fences.size()) {
      return "kafka-dr's fence on "
          + c.to().alias()
          + " denies the tenant's producers until a switchover lifts it";
    }
    return null;
  }

  /** Writes and reads back one probe as {@code p}; its figures into {@code probes}; a failure. */
  private static String probe(
      StepContext c, TenantAccess p, String topic, Map<String, Object> probes) throws Exception {
    String user = p.principal().substring("User:".length());
    var credential = p.drillCredential();
    var password = Secrets.resolve(credential.passwordReference());
    if (password.isEmpty()) {
      return "the drill credential of "
          + p.principal()
          + " ("
          + credential.passwordReference()
          + ") resolves to nothing on this controller";
    }
    Map<String, Object> config = new HashMap<>();
    // The listener's certificate is checked as the controller's own connections check the
    // cluster's (its trust store, from the tenants file or kdr.client-config): never the tenant's.
    dev.kafkadr.config.ClusterClients.adminConfig(c.to())
        .forEach(
            (k, v) -> {
              if (k.startsWith("ssl.truststore.")
                  || k.startsWith("config.providers")
                  || "ssl.endpoint.identification.algorithm".equals(k)) {
                config.put(k, v);
              }
            });
    config.put(
        "bootstrap.servers", c.file().traffic().clusters().get(c.to().alias()).clientBootstrap());
    config.put("security.protocol", credential.protocol());
    config.put("sasl.mechanism", credential.mechanism());
    config.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password.get().replace("\\", "\\\\").replace("\"", "\\\"")
            + "\";");
    config.put("client.id", "kdr-drill-probe");
    config.put("acks", "all");
    config.put("max.block.ms", 20_000);
    config.put("delivery.timeout.ms", 20_000);
    config.put("request.timeout.ms", 10_000);
    long started = System.nanoTime();
    RecordMetadata written;
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      written =
          producer
              .send(new ProducerRecord<>(topic, c.tenant().id(), c.workflowId()))
              .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
      Throwable cause = rootOfRefusal(e instanceof ExecutionException ? e.getCause() : e);
      String why =
          cause instanceof AuthenticationException
              ? "its drill credential was refused"
              : cause instanceof AuthorizationException
                  ? "it may not WRITE topic " + topic
                  : "the write failed";
      return p.principal()
          + " could not write a probe to "
          + topic
          + " on "
          + c.to().alias()
          + ": "
          + why
          + " ("
          + cause.getClass().getSimpleName()
          + ": "
          + Workflows.message(cause)
          + ")";
    }
    String read = readBack(c, new TopicPartition(topic, written.partition()), written.offset());
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("cluster", c.to().alias());
    figures.put("topic", topic);
    figures.put("offset", written.offset());
    figures.put("readBack", c.workflowId().equals(read));
    figures.put("millis", Duration.ofNanos(System.nanoTime() - started).toMillis());
    probes.put(p.principal(), figures);
    return c.workflowId().equals(read)
        ? null
        : p.principal() + "'s probe on " + c.to().alias() + " was acknowledged but not read back";
  }

  /**
   * The authentication or authorization error behind {@code e}, or {@code e} itself. A refused
   * producer id leaves an idempotent producer in an error state, and a send made after that fails
   * with a {@code KafkaException} whose cause is the refusal (which of the two a send sees depends
   * on timing).
   */
  static Throwable rootOfRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
        return t;
      }
    }
    return e;
  }

  /** The value at {@code offset}, read by the controller, or null. */
  private static String readBack(StepContext c, TopicPartition tp, long offset) {
    try (var reader = DrillCompare.reader(c.to(), "probe")) {
      String[] value = {null};
      DrillCompare.read(
          reader,
          tp,
          offset,
          offset + 1,
          r -> value[0] = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
      return value[0];
    }
  }
}
