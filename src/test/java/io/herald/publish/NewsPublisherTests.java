package io.herald.publish;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NewsPublisherTests {

	private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

	private final StubGateway gateway = new StubGateway();

	private final NewsPublisher publisher = new NewsPublisher(this.gateway, Duration.ofMillis(300),
			Clock.fixed(NOW, ZoneOffset.UTC), 2, 10, new SimpleMeterRegistry());

	@AfterEach
	void stopPublisher() throws InterruptedException {
		this.gateway.release.countDown();
		this.gateway.acks.release(1000);
		this.publisher.destroy();
	}

	@Test
	void completesWithReceiptOnceGatewayReturns() throws Exception {
		NewsReceipt receipt = this.publisher.publish(news("a/b")).get(5, TimeUnit.SECONDS);

		assertThat(receipt.topic()).isEqualTo("a/b");
		assertThat(receipt.qos()).isEqualTo(1);
		assertThat(receipt.publishedAt()).isEqualTo(NOW);
		assertThat(this.gateway.calls).singleElement().satisfies((call) -> {
			assertThat(call.topic()).isEqualTo("a/b");
			assertThat(call.id()).isEqualTo(receipt.id());
			assertThat(call.deadline()).isEqualTo(NOW.toEpochMilli() + 300);
			assertThat(call.thread()).startsWith("herald-publish-");
		});
	}

	@Test
	void failsWithinTimeoutWhenBrokerNeverAcknowledges() {
		this.gateway.blockUntilReleased = true;

		assertThat(failure(this.publisher.publish(news("a/b")))).isInstanceOf(NewsNotPublishedException.class)
			.hasMessageContaining("herald.publish.timeout")
			.hasCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void passesOnTheFlowsFailure() {
		this.gateway.failure = new NewsNotPublishedException("The broker did not accept the message: refused", null);

		assertThat(failure(this.publisher.publish(news("a/b")))).isSameAs(this.gateway.failure);
	}

	@Test
	void failsWhenTooManyMessagesAreWaiting() {
		this.gateway.blockUntilReleased = true;
		// Two threads busy, ten messages queued: the thirteenth finds no room.
		for (int i = 0; i < 12; i++) {
			this.publisher.publish(news("a/" + i));
		}

		assertThat(failure(this.publisher.publish(news("a/b")))).isInstanceOf(NewsNotPublishedException.class)
			.hasMessageContaining("Too many");
	}

	@Test
	void publishesBatchInOrderOneAfterTheOther() throws Exception {
		this.gateway.waitForAck = true;

		CompletableFuture<List<NewsReceipt>> result = this.publisher
			.publishAll(List.of(news("a/1"), news("a/2"), news("a/3")));

		await().atMost(Duration.ofSeconds(5)).until(() -> this.gateway.calls.size() == 1);
		// The second message is only handed over once the first one was acknowledged.
		assertThat(this.gateway.calls).extracting(Call::topic).containsExactly("a/1");
		this.gateway.acks.release(3);
		assertThat(result.get(5, TimeUnit.SECONDS)).extracting(NewsReceipt::topic).containsExactly("a/1", "a/2", "a/3");
		assertThat(this.gateway.calls).extracting(Call::topic).containsExactly("a/1", "a/2", "a/3");
	}

	@Test
	void reportsAcceptedMessagesWhenBatchFailsHalfway() {
		this.gateway.failFromCall = 3;
		this.gateway.failure = new NewsNotPublishedException("The broker did not accept the message: gone", null);

		CompletableFuture<List<NewsReceipt>> result = this.publisher
			.publishAll(List.of(news("a/1"), news("a/2"), news("a/3"), news("a/4")));

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

	record Call(String topic, String id, long deadline, String thread) {
	}

	private static final class StubGateway implements NewsGateway {

		final List<Call> calls = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		final Semaphore acks = new Semaphore(0);

		volatile boolean blockUntilReleased;

		volatile boolean waitForAck;

		volatile int failFromCall = 1;

		volatile NewsNotPublishedException failure;

		@Override
		public void publish(byte[] payload, String topic, int qos, boolean retain, String id, long deadline) {
			this.calls.add(new Call(topic, id, deadline, Thread.currentThread().getName()));
			try {
				if (this.blockUntilReleased) {
					this.release.await();
				}
				if (this.waitForAck) {
					this.acks.acquire();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.failure != null && this.calls.size() >= this.failFromCall) {
				throw this.failure;
			}
		}

	}

}
