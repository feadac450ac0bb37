package dev.kafkadr.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantSeriesTest {

  private static final String EXPOSITION =
      String.join(
          "\n",
          "# HELP kdr_tenant_lag_records Offsets not yet copied",
          "# TYPE kdr_tenant_lag_records gauge",
          "kdr_tenant_lag_records{source=\"primary\",target=\"secondary\",tenant=\"acme\",} 12.0",
          "kdr_tenant_lag_records{source=\"primary\",target=\"secondary\",tenant=\"globex\",} 3.0",
          "kdr_tenant_lag_records{source=\"a\\\"cme\",tenant=\"acme-2\",} 1.0",
          "# HELP jvm_threads_live_threads The current number of live threads",
          "# TYPE jvm_threads_live_threads gauge",
          "jvm_threads_live_threads 40.0",
          "# HELP kdr_workflow_seconds Workflow durations",
          "# TYPE kdr_workflow_seconds summary",
          "kdr_workflow_seconds_count{kind=\"switchover\",tenant=\"globex\",} 1.0",
          "kdr_workflow_seconds_sum{kind=\"switchover\",tenant=\"globex\",} 4.2",
          "");

  @Test
  void keepsOnlyTheTenantsSamplesWithTheirFamiliesComments() {
    assertThat(TenantSeries.of(EXPOSITION, "acme"))
        .isEqualTo(
            String.join(
                "\n",
                "# HELP kdr_tenant_lag_records Offsets not yet copied",
                "# TYPE kdr_tenant_lag_records gauge",
                "kdr_tenant_lag_records{source=\"primary\",target=\"secondary\",tenant=\"acme\",}"
                    + " 12.0",
                ""));
    assertThat(TenantSeries.of(EXPOSITION, "globex"))
        .contains("tenant=\"globex\",} 3.0")
        .contains("# TYPE kdr_workflow_seconds summary")
        .contains("kdr_workflow_seconds_sum{kind=\"switchover\",tenant=\"globex\",} 4.2")
        .doesNotContain("acme")
        .doesNotContain("jvm_");
    assertThat(TenantSeries.of(EXPOSITION, "nobody")).isEmpty();
  }

  @Test
  void readsEscapedLabelValuesAndNeverMistakesAnotherLabelForTheTenant() {
    assertThat(TenantSeries.label("m{a=\"x\\\"tenant=\\\"acme\",tenant=\"b\"} 1", "tenant"))
        .isEqualTo("b");
    assertThat(TenantSeries.label("m{a=\"x\\\\\"} 1", "a")).isEqualTo("x\\");
    assertThat(TenantSeries.label("m 1", "tenant")).isNull();
    assertThat(TenantSeries.label("m{a=\"unterminated} 1", "tenant")).isNull();
  }
}
