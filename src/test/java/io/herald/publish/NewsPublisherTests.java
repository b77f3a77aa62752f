package io.herald.publish;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NewsPublisherTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private final StubGateway gateway = new StubGateway();

	private final NewsPublisher publisher = new NewsPublisher(this.gateway, Duration.ofMillis(300),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void completesWithReceiptOnceGatewayCompletes() throws Exception {
		NewsReceipt receipt = this.publisher.publish(news("a/b")).get(5, TimeUnit.SECONDS);

		assertThat(receipt.topic()).isEqualTo("a/b");
		assertThat(receipt.qos()).isEqualTo(1);
		assertThat(receipt.publishedAt()).isEqualTo(NOW);
		assertThat(this.gateway.calls).singleElement().satisfies((call) -> {
			assertThat(call.topic()).isEqualTo("a/b");
			assertThat(call.id()).isEqualTo(receipt.id());
			assertThat(call.deadline()).isEqualTo(NOW.toEpochMilli() + 300);
		});
	}

	@Test
	void failsWithinTimeoutWhenBrokerNeverAcknowledges() {
		this.gateway.answer = CompletableFuture::new;

		CompletableFuture<NewsReceipt> result = this.publisher.publish(news("a/b"));

		assertThat(failure(result)).isInstanceOf(NewsNotPublishedException.class)
			.hasMessageContaining("herald.publish.timeout")
			.hasCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void failsWhenTooManyMessagesAreWaiting() {
		this.gateway.answer = () -> {
			throw new RejectedExecutionException("full");
		};

		assertThat(failure(this.publisher.publish(news("a/b")))).isInstanceOf(NewsNotPublishedException.class)
			.hasMessageContaining("Too many");
	}

	@Test
	void publishesBatchInOrderOneAfterTheOther() throws Exception {
		List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
		this.gateway.answer = () -> {
			CompletableFuture<Void> ack = new CompletableFuture<>();
			pending.add(ack);
			return ack;
		};

		CompletableFuture<List<NewsReceipt>> result = this.publisher.publishAll(List.of(news("a/1"), news("a/2"),
				news("a/3")));

		// The second message waits for the first one's acknowledgement.
		assertThat(this.gateway.calls).hasSize(1);
		for (int i = 0; i < 3; i++) {
			pending.get(i).complete(null);
		}
		assertThat(result.get(5, TimeUnit.SECONDS)).extracting(NewsReceipt::topic).containsExactly("a/1", "a/2", "a/3");
		assertThat(this.gateway.calls).extracting(Call::topic).containsExactly("a/1", "a/2", "a/3");
	}

	@Test
	void reportsAcceptedMessagesWhenBatchFailsHalfway() {
		List<NewsNotPublishedException> failures = new ArrayList<>(
				List.of(new NewsNotPublishedException("The broker did not accept the message: gone", null)));
		this.gateway.answer = () -> (this.gateway.calls.size() < 3) ? CompletableFuture.completedFuture(null)
				: CompletableFuture.failedFuture(failures.get(0));

		CompletableFuture<List<NewsReceipt>> result = this.publisher.publishAll(
				List.of(news("a/1"), news("a/2"), news("a/3"), news("a/4")));

		assertThat(failure(result)).isInstanceOfSatisfying(NewsNotPublishedException.class, (ex) -> {
			assertThat(ex).hasMessageContaining("gone");
			assertThat(ex.accepted()).extracting(NewsReceipt::topic).containsExactly("a/1", "a/2");
		});
		assertThat(this.gateway.calls).hasSize(3);
	}

	private static Throwable failure(CompletableFuture<?> future) {
		try {
			future.get(5, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (InterruptedException | TimeoutException ex) {
			throw new AssertionError("Expected the future to fail within 5 seconds", ex);
		}
		throw new AssertionError("Expected the future to fail, but it completed");
	}

	private static OutgoingNews news(String topic) {
		return new OutgoingNews(topic, "payload".getBytes(StandardCharsets.UTF_8), 1, false);
	}

	record Call(String topic, String id, long deadline) {
	}

	private static final class StubGateway implements NewsGateway {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		Supplier<CompletableFuture<Void>> answer = () -> CompletableFuture.completedFuture(null);

		@Override
		public CompletableFuture<Void> publish(byte[] payload, String topic, int qos, boolean retain, String id,
				long deadline) {
			this.calls.add(new Call(topic, id, deadline));
			return this.answer.get();
		}

	}

}
