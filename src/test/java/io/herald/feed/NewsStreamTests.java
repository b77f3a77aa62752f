package io.herald.feed;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one stream holds for a client that does not read: bounded in events and in bytes.
 * Nothing is written here: a stream that has not started only queues.
 */
class NewsStreamTests {

	private final Counter events = new SimpleMeterRegistry().counter("events");

	private final List<NewsStream.Ending> endings = new ArrayList<>();

	@Test
	void aStreamFallingMoreThanItsByteBudgetBehindIsClosedHoweverFewItsEvents() {
		NewsStream stream = stream(1000, 2048);
		stream.offer(new byte[1000]);
		stream.offer(new byte[1000]);
		assertThat(this.endings).isEmpty();

		stream.offer(new byte[100]);

		assertThat(this.endings).containsExactly(NewsStream.Ending.BEHIND);
	}

	@Test
	void aStreamFallingMoreThanItsEventsBehindIsClosedHoweverSmallTheEvents() {
		NewsStream stream = stream(3, 1024 * 1024);
		for (int i = 0; i < 3; i++) {
			stream.offer(new byte[10]);
		}
		assertThat(this.endings).isEmpty();

		stream.offer(new byte[10]);

		assertThat(this.endings).containsExactly(NewsStream.Ending.BEHIND);
	}

	@Test
	void heartbeatsCountAgainstTheBudgetOnlyWhileTheyWait() {
		NewsStream stream = stream(1000, 1024);
		stream.heartbeat();
		// Alone it would fit; behind a waiting heartbeat it does not.
		stream.offer(new byte[1020]);

		assertThat(this.endings).containsExactly(NewsStream.Ending.BEHIND);
	}

	private NewsStream stream(int maxEvents, long maxBytes) {
		return new NewsStream((topic) -> true, maxEvents, maxBytes, Runnable::run, this.events,
				(stream, ending) -> this.endings.add(ending));
	}

}
