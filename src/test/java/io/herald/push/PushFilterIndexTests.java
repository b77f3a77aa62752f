package io.herald.push;

import java.util.List;
import java.util.UUID;

import io.herald.mqtt.TopicFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter index finds the subscriptions MQTT would deliver a topic to, and keeps up
 * with updates and deletions.
 */
class PushFilterIndexTests {

	private final PushFilterIndex index = new PushFilterIndex();

	@Test
	void wildcardsMatchAsMqttSays() {
		UUID exact = put("/news/europe/sport");
		UUID single = put("/news/+/sport");
		UUID multi = put("/news/#");
		UUID everything = put("#");
		UUID plusEverything = put("+/#");
		UUID emptyLevel = put("/news/+");

		assertThat(match("/news/europe/sport")).containsExactlyInAnyOrder(exact, single, multi, everything,
				plusEverything);
		assertThat(match("/news/usa/tennis")).containsExactlyInAnyOrder(multi, everything, plusEverything);
		// '#' takes in its parent level; '+' matches an empty level.
		assertThat(match("/news")).containsExactlyInAnyOrder(multi, everything, plusEverything);
		assertThat(match("/news/")).containsExactlyInAnyOrder(multi, everything, plusEverything, emptyLevel);
		assertThat(match("news/europe/sport")).containsExactlyInAnyOrder(everything, plusEverything);
	}

	@Test
	void dollarTopicsAreMatchedByNoLeadingWildcard() {
		UUID everything = put("#");
		UUID plus = put("+/monitor/#");
		UUID system = put("$SYS/#");
		UUID systemPlus = put("$SYS/+/load");

		assertThat(match("$SYS/broker/load")).containsExactlyInAnyOrder(system, systemPlus);
		assertThat(match("$SYS")).containsExactly(system);
		assertThat(match("a/monitor/x")).containsExactlyInAnyOrder(everything, plus);
	}

	@Test
	void subscriptionWithSeveralMatchingFiltersIsFoundOnce() {
		UUID id = UUID.randomUUID();
		this.index.put(subscription(id, "/news/#", "/news/+/sport", "/news/europe/sport"));

		assertThat(this.index.match("/news/europe/sport")).hasSize(1);
	}

	@Test
	void updateReplacesTheFiltersAndDeleteRemovesThem() {
		UUID id = UUID.randomUUID();
		this.index.put(subscription(id, "/news/+/sport"));
		UUID other = put("/news/+/sport");

		this.index.put(subscription(id, "/weather/#"));

		assertThat(match("/news/europe/sport")).containsExactly(other);
		assertThat(match("/weather/paris")).containsExactly(id);
		assertThat(this.index.match("/weather/paris").get(0).filters()).containsExactly("/weather/#");

		this.index.remove(id);
		this.index.remove(UUID.randomUUID());

		assertThat(match("/weather/paris")).isEmpty();
		assertThat(match("/news/europe/sport")).containsExactly(other);
		assertThat(this.index.size()).isEqualTo(1);
	}

	@Test
	void replaceAllSwapsTheWholeIndex() {
		put("/news/#");
		UUID kept = UUID.randomUUID();

		this.index.replaceAll(List.of(subscription(kept, "/weather/#")));

		assertThat(match("/news/a")).isEmpty();
		assertThat(match("/weather/a")).containsExactly(kept);
	}

	@Test
	void agreesWithTopicFilterOnEveryPair() {
		List<String> filters = List.of("#", "+", "+/+", "/+", "/#", "a", "a/#", "a/+", "a/+/c", "+/b/#", "a//c", "a/+/",
				"$SYS/#", "$SYS/+", "+/+/+", "a/b/c/#");
		List<String> topics = List.of("a", "a/b", "a/b/c", "a/b/c/d", "/", "/a", "a//c", "a/b/", "$SYS", "$SYS/x",
				"b/b/x", "", "x/b");
		for (String filter : filters) {
			this.index.put(subscription(UUID.nameUUIDFromBytes(filter.getBytes()), filter));
		}
		for (String topic : topics) {
			List<String> expected = filters.stream().filter((filter) -> TopicFilter.of(filter).matches(topic)).toList();
			assertThat(this.index.match(topic)).as(topic)
				.extracting((subscription) -> subscription.filters().get(0))
				.containsExactlyInAnyOrderElementsOf(expected);
		}
	}

	private UUID put(String filter) {
		UUID id = UUID.randomUUID();
		this.index.put(subscription(id, filter));
		return id;
	}

	private List<UUID> match(String topic) {
		return this.index.match(topic).stream().map(PushSubscription::id).toList();
	}

	static PushSubscription subscription(UUID id, String... filters) {
		return new PushSubscription(id, "subject", "https://fcm.googleapis.com/fcm/send/" + id, "key", "auth",
				List.of(filters));
	}

}
