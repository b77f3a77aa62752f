package io.herald.feed;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.herald.mqtt.TopicFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NewsHistoryTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private final NewsHistory history = new NewsHistory(3, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void returnsMatchingMessagesNewestFirst() {
		this.history.add("/news/europe/sport", "one", 1, false);
		this.history.add("/news/usa/tennis", "two", 0, true);
		this.history.add("/news/usa/sport", "three", 2, false);

		List<NewsItem> sport = this.history.newest(TopicFilter.of("/news/+/sport"), 10);

		assertThat(sport).extracting(NewsItem::payload).containsExactly("three", "one");
		assertThat(sport.get(0)).isEqualTo(new NewsItem(3, "/news/usa/sport", "three", 2, false, NOW));
	}

	@Test
	void keepsOnlyTheNewestUpToCapacity() {
		for (int i = 1; i <= 7; i++) {
			this.history.add("/news/" + i, "payload " + i, 1, false);
		}

		assertThat(this.history.newest(TopicFilter.of("#"), 10)).extracting(NewsItem::id).containsExactly(7L, 6L, 5L);
	}

	@Test
	void stopsAtLimit() {
		for (int i = 1; i <= 3; i++) {
			this.history.add("/news/" + i, "payload " + i, 1, false);
		}

		assertThat(this.history.newest(TopicFilter.of("#"), 2)).extracting(NewsItem::id).containsExactly(3L, 2L);
	}

	@Test
	void answersEmptyBeforeAnyMessage() {
		assertThat(this.history.newest(TopicFilter.of("#"), 5)).isEmpty();
	}

	@Test
	void leavesDollarTopicsOutOfWildcardQueries() {
		this.history.add("$SYS/broker/uptime", "42", 0, false);
		this.history.add("/news/a", "a", 1, false);

		assertThat(this.history.newest(TopicFilter.of("#"), 5)).extracting(NewsItem::topic).containsExactly("/news/a");
		assertThat(this.history.newest(TopicFilter.of("$SYS/#"), 5)).extracting(NewsItem::topic)
			.containsExactly("$SYS/broker/uptime");
	}

}
