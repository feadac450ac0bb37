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
  void aReaderGoesOnFromItsCursorAndItsCursorTellsNothingOfOtherTenants() {
    TenantEvents events = new TenantEvents(null, null);
    events.add(event("acme", "a1"));
    events.add(event("other", "o1"));
    events.add(event("other", "o2"));
    events.add(event("acme", "a2"));

    TenantEvents.Page first = events.since(null, "acme", 1);
    assertThat(first.events()).extracting(TenantEvent::text).containsExactly("a1");
    TenantEvents.Page second = events.since(first.next(), "acme", 10);
    assertThat(second.events()).extracting(TenantEvent::text).containsExactly("a2");
    // One sequence per tenant: acme's second event is its number 2, whatever other did.
    assertThat(second.next()).endsWith("-2");
    TenantEvents.Page none = events.since(second.next(), "acme", 10);
    assertThat(none.events()).isEmpty();
    assertThat(none.next()).isEqualTo(second.next());

    events.add(event("acme", "a3"));
    assertThat(events.since(none.next(), "acme", 10).events())
        .extracting(TenantEvent::text)
        .containsExactly("a3");
    assertThat(events.since(null, "nobody", 10).events()).isEmpty();
  }

  @Test
  void aCursorOfAnotherIncarnationOrOlderThanWhatIsKeptSaysEventsWereLostAndMovesOn() {
    TenantEvents events = new TenantEvents(null, null);
    events.add(event("acme", "a1"));
    String cursor = events.since(null, "acme", 10).next();

    TenantEvents.Page restarted = events.since("0badcafe-1", "acme", 10);
    assertThat(restarted.events())
        .extracting(TenantEvent::kind)
        .containsExactly("events-lost", "workflow");
    assertThat(restarted.events().get(0).text()).startsWith("the controller restarted at ");

    for (int i = 0; i < TenantEvents.KEPT + 5; i++) {
      events.add(event("acme", "b" + i));
    }
    // The loss is said once, is no part of the limit, and the reader moves on past it.
    TenantEvents.Page behind = events.since(cursor, "acme", 1);
    assertThat(behind.events())
        .extracting(TenantEvent::kind)
        .containsExactly("events-lost", "workflow");
    assertThat(behind.events().get(0).text()).startsWith("5 events were dropped");
    assertThat(behind.events().get(1).text()).isEqualTo("b5");
    TenantEvents.Page on = events.since(behind.next(), "acme", 1);
    assertThat(on.events()).extracting(TenantEvent::text).containsExactly("b6");
    // Going on from the loss line itself does not report it again.
    assertThat(events.since(behind.events().get(0).cursor(), "acme", 1).events())
        .extracting(TenantEvent::text)
        .containsExactly("b5");

    assertThatThrownBy(() -> events.since("nonsense", "acme", 10))
        .hasMessageContaining("is no cursor");
    String ahead = cursor.substring(0, cursor.indexOf('-')) + "-999999";
    assertThatThrownBy(() -> events.since(ahead, "acme", 10))
        .hasMessageContaining("is ahead of tenant acme's events");
  }
}
