package dev.kafkadr.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantEventsTest {

  private static TenantEvent event(String tenant, String text) {
    return new TenantEvent(null, Instant.now(), tenant, "workflow", null, "w", text);
  }

  @Test
  void aReaderGoesOnFromItsCursorAndSeesItsTenantOnly() {
    TenantEvents events = new TenantEvents(null, null);
    events.add(event("acme", "a1"));
    events.add(event("other", "o1"));
    events.add(event("acme", "a2"));

    TenantEvents.Page first = events.since(null, "acme"::equals, 1);
    assertThat(first.events()).extracting(TenantEvent::text).containsExactly("a1");
    TenantEvents.Page second = events.since(first.next(), "acme"::equals, 10);
    assertThat(second.events()).extracting(TenantEvent::text).containsExactly("a2");
    TenantEvents.Page none = events.since(second.next(), "acme"::equals, 10);
    assertThat(none.events()).isEmpty();
    assertThat(none.next()).isEqualTo(second.next());

    events.add(event("acme", "a3"));
    assertThat(events.since(none.next(), "acme"::equals, 10).events())
        .extracting(TenantEvent::text)
        .containsExactly("a3");
  }

  @Test
  void aCursorOfAnotherIncarnationOrOlderThanWhatIsKeptSaysEventsWereLost() {
    TenantEvents events = new TenantEvents(null, null);
    events.add(event("acme", "a1"));
    String cursor = events.since(null, t -> true, 10).next();

    TenantEvents.Page restarted = events.since("0badcafe-1", "acme"::equals, 10);
    assertThat(restarted.events())
        .extracting(TenantEvent::kind)
        .containsExactly("events-lost", "workflow");
    assertThat(restarted.events().get(0).text()).startsWith("the controller restarted at ");

    for (int i = 0; i < TenantEvents.KEPT + 5; i++) {
      events.add(event("other", "o" + i));
    }
    TenantEvents.Page behind = events.since(cursor, "acme"::equals, 10);
    assertThat(behind.events()).extracting(TenantEvent::kind).containsExactly("events-lost");
    assertThat(behind.events().get(0).text()).startsWith("5 events of all tenants were dropped");

    assertThatThrownBy(() -> events.since("nonsense", t -> true, 10))
        .hasMessageContaining("is no cursor");
  }
}
