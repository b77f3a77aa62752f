package io.herald.feed;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.herald.mqtt.TopicFilter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NewsHistoryTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	/** The epoch of a history begun at {@link #NOW}: its milliseconds in base 36. */
	private static final String EPOCH = Long.toString(NOW.toEpochMilli(), 36);

	private final NewsHistory history = new NewsHistory(3, 1_000_000, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void returnsMatchingMessagesNewestFirst() {
		this.history.add("/news/europe/sport", "one", 1, false);
		this.history.add("/news/usa/tennis", "two", 0, true);
		this.history.add("/news/usa/sport", "three", 2, false);

		List<NewsItem> sport = this.history.newest(TopicFilter.of("/news/+/sport"), 10);

		assertThat(sport).extracting(NewsItem::payload).containsExactly("three", "one");
		assertThat(sport.get(0)).isEqualTo(new NewsItem(3, EPOCH + "-3", "/news/usa/sport", "three", 2, false, NOW));
	}

	@Test
	void keepsOnlyTheNewestUpToCapacity() {
		for (int i = 1; i <= 7; i++) {
			this.history.add("/news/" + i, "payload " + i, 1, false);
		}

		assertThat(this.history.newest(TopicFilter.of("#"), 10)).extracting(NewsItem::sequence)
			.containsExactly(7L, 6L, 5L);
	}

	@Test
	void keepsOnlyWhatFitsTheByteBudgetNewestFirst() {
		long oneMessage = NewsHistory.ITEM_OVERHEAD + 2 * ("/news/1".length() + 100);
		NewsHistory small = new NewsHistory(100, 2 * oneMessage, Clock.fixed(NOW, ZoneOffset.UTC));
		for (int i = 1; i <= 5; i++) {
			small.add("/news/" + i, "x".repeat(100), 1, false);
		}

		assertThat(small.newest(TopicFilter.of("#"), 10)).extracting(NewsItem::sequence).containsExactly(5L, 4L);
		assertThat(small.bytes()).isEqualTo(2 * oneMessage);
	}

	@Test
	void keepsTheNewestMessageEvenWhenItAloneExceedsTheBudget() {
		NewsHistory small = new NewsHistory(100, 1024, Clock.fixed(NOW, ZoneOffset.UTC));
		small.add("/news/small", "a", 1, false);
		small.add("/news/large", "y".repeat(4096), 1, false);

		assertThat(small.newest(TopicFilter.of("#"), 10)).extracting(NewsItem::topic).containsExactly("/news/large");
		small.add("/news/small", "b", 1, false);
		assertThat(small.newest(TopicFilter.of("#"), 10)).extracting(NewsItem::payload).containsExactly("b");
	}

	@Test
	void countsBytesBackDownAsMessagesLeaveByCount() {
		for (int i = 1; i <= 10; i++) {
			this.history.add("/news/" + i, "payload", 1, false);
		}

		assertThat(this.history.bytes()).isEqualTo(3 * NewsHistory.ITEM_OVERHEAD
				+ 2 * ("/news/8".length() + "/news/9".length() + "/news/10".length() + 3 * "payload".length()));
	}

	@Test
	void stopsAtLimit() {
		for (int i = 1; i <= 3; i++) {
			this.history.add("/news/" + i, "payload " + i, 1, false);
		}

		assertThat(this.history.newest(TopicFilter.of("#"), 2)).extracting(NewsItem::sequence).containsExactly(3L, 2L);
	}

	@Test
	void replaysWhatCameAfterAnIdOldestFirst() {
		this.history.add("/news/a", "one", 1, false);
		this.history.add("/news/b", "two", 1, false);
		this.history.add("/news/a", "three", 1, false);

		NewsHistory.Replay replay = this.history.after(EPOCH + "-1", (topic) -> topic.equals("/news/a"));

		assertThat(replay.gap()).isFalse();
		assertThat(replay.items()).extracting(NewsItem::payload).containsExactly("three");
		assertThat(this.history.after(EPOCH + "-3", (topic) -> true).items()).isEmpty();
		assertThat(this.history.newestId()).isEqualTo(EPOCH + "-3");
	}

	@Test
	void tellsOfAGapWhenMessagesAfterTheIdAreNoLongerKept() {
		for (int i = 1; i <= 6; i++) {
			this.history.add("/news/" + i, "payload " + i, 1, false);
		}

		// 4 to 6 are kept: after 3 nothing is missing, after 2 message 3 is.
		assertThat(this.history.after(EPOCH + "-3", (topic) -> true).gap()).isFalse();
		NewsHistory.Replay replay = this.history.after(EPOCH + "-2", (topic) -> true);
		assertThat(replay.gap()).isTrue();
		assertThat(replay.horizon()).isEqualTo(EPOCH + "-3");
		assertThat(replay.items()).extracting(NewsItem::sequence).containsExactly(4L, 5L, 6L);
	}

	@Test
	void anIdOfAnotherEpochIsAGapBeforeEverythingKept() {
		this.history.add("/news/a", "one", 1, false);

		NewsHistory.Replay replay = this.history.after("1-99", (topic) -> true);

		assertThat(replay.gap()).isTrue();
		assertThat(replay.horizon()).isEqualTo(EPOCH + "-0");
		assertThat(replay.items()).extracting(NewsItem::payload).containsExactly("one");
	}

	@Test
	void refusesWhatIsNotAnIdOrNotYetGivenOut() {
		this.history.add("/news/a", "one", 1, false);

		assertThatIllegalArgumentException().isThrownBy(() -> this.history.after("yesterday", (topic) -> true));
		assertThatIllegalArgumentException().isThrownBy(() -> this.history.after(EPOCH + "-2", (topic) -> true));
	}

	@Test
	void tellsItsListenerOfEachMessageAsItIsAdded() {
		List<String> told = new java.util.ArrayList<>();
		this.history.listen((item) -> told.add(item.id()));

		this.history.add("/news/a", "one", 1, false);

		assertThat(told).containsExactly(EPOCH + "-1");
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
