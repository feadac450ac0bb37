package dev.kafkadr.controller.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One thing that happened to a tenant, as its team's event stream carries it.
 *
 * @param cursor where the stream stands after this event: {@code <incarnation>-<sequence>}, given
 *     back as {@code after} to read on from here
 * @param at when it happened (a step's end, a scan's measurement), UTC
 * @param tenant the tenant
 * @param kind {@code rpo-status}, {@code gap}, {@code replication}, {@code workflow}, {@code
 *     workflow-step}, {@code drill}, or {@code events-lost} (events the controller no longer holds
 *     were skipped: it restarted, or the reader fell more than the kept number behind)
 * @param flow {@code source->target} for the replication events, else absent
 * @param workflow the workflow's id for workflow, step and drill events, else absent
 * @param text what happened, one line, for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantEvent(
    String cursor,
    Instant at,
    String tenant,
    String kind,
    String flow,
    String workflow,
    String text) {}
