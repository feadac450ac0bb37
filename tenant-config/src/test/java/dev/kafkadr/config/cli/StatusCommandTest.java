package dev.kafkadr.config.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

  @Test
  void aRecordTheFlowCannotCopyIsNamedUnderTheTable() throws Exception {
    String json =
        """
        [{"tenant": "chg", "rpoSeconds": 30, "flows": [{"source": "primary",
          "target": "secondary", "status": "BREACH", "lagRecords": 2, "lagSeconds": 40.5,
          "gaps": [], "health": {"replication": "FAILED", "heartbeatAgeSeconds": 0.4,
          "refused": [{"topic": "chg.huge", "partition": 0, "offset": 7,
            "sizeBytes": 3500129, "limit": "max.request.size", "limitBytes": 3145728,
            "remedy": "raise producer.override.max.request.size in the tenant's overrides"}]}}]}]
        """;
    String table = StatusCommand.table(new ObjectMapper().readTree(json));
    assertThat(table.lines()).element(1).asString().startsWith("chg").contains("BREACH", "FAILED");
    assertThat(table.lines())
        .last()
        .isEqualTo(
            "chg primary -> secondary cannot copy chg.huge-0 offset 7: 3,500,129 bytes, larger"
                + " than max.request.size 3,145,728; raise producer.override.max.request.size in"
                + " the tenant's overrides");
  }

  @Test
  void theControllerLineSaysWhoAnsweredWhoLeadsAndWhoMeasured() throws Exception {
    ObjectMapper json = new ObjectMapper();
    var health =
        json.readTree(
            """
            {"status": "UP", "checks": [{"name": "controller-store", "status": "UP", "data": {
              "store": "etcd", "replica": "replica-b", "leads": false,
              "since": "2026-11-30T04:00:00Z", "leader": "replica-a", "storeAnswered": true}}]}
            """);
    var tenants = json.readTree("[{\"tenant\": \"shop\", \"scannedBy\": \"replica-a\"}]");
    assertThat(StatusCommand.controllerLine(health, tenants))
        .isEqualTo(
            "controller: replica replica-b follows since 2026-11-30T04:00:00Z; store etcd,"
                + " leader replica-a; figures measured by replica-a");
    var cut =
        json.readTree(
            """
            {"checks": [{"name": "controller-store", "data": {"store": "etcd",
              "replica": "replica-b", "leads": false, "leader": "unknown",
              "storeAnswered": false}}]}
            """);
    assertThat(StatusCommand.controllerLine(cut, json.readTree("[]")))
        .endsWith("leader unknown (the store does not answer)");
    assertThat(StatusCommand.controllerLine(null, tenants)).contains("unknown");
  }
}
