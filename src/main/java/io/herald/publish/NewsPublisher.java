package io.herald.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Publishes checked messages through the {@link NewsGateway} on a few publishing threads,
 * each answered within {@code herald.publish.timeout}; a batch goes out in order, one
 * message after the other.
 *
 * <p>
 * The request thread never waits on the broker itself: it gets a future, bounded by the
 * timeout however long the broker takes.
 */
class NewsPublisher implements DisposableBean {

	private final NewsGateway gateway;

	private final Duration timeout;

	private final Clock clock;

	private final ExecutorService threads;

	private final Timer published;

	private final Timer failed;

	private final Timer rejected;

	NewsPublisher(NewsGateway gateway, Duration timeout, Clock clock, int threadCount, int queueCapacity,
			MeterRegistry meters) {
		this.gateway = gateway;
		this.published = outcome(meters, "published");
		this.failed = outcome(meters, "failed");
		this.rejected = outcome(meters, "rejected");
		this.timeout = timeout;
		this.clock = clock;
		this.threads = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(queueCapacity), new CustomizableThreadFactory("herald-publish-"));
	}

	private static Timer outcome(MeterRegistry meters, String outcome) {
		return Timer.builder("herald.publish.messages")
			.description("Messages published through the REST API, by outcome, with the time the broker took to "
					+ "acknowledge them")
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * Completes with the receipt once the broker accepted it, or with a
	 * {@link NewsNotPublishedException}.
	 */
	CompletableFuture<NewsReceipt> publish(OutgoingNews news) {
		long start = System.nanoTime();
		String id = UUID.randomUUID().toString();
		long deadline = this.clock.millis() + this.timeout.toMillis();
		CompletableFuture<Void> sent;
		try {
			sent = CompletableFuture.runAsync(
					() -> this.gateway.publish(news.payload(), news.topic(), news.qos(), news.retain(), id, deadline),
					this.threads);
		}
		catch (RejectedExecutionException ex) {
			this.rejected.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			return CompletableFuture
				.failedFuture(new NewsNotPublishedException("Too many messages are waiting to be published", ex));
		}
		return sent.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS).handle((ignored, failure) -> {
			if (failure != null) {
				this.failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				throw notPublished(failure, List.of());
			}
			this.published.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			return new NewsReceipt(id, news.topic(), news.qos(), news.retain(), this.clock.instant());
		});
	}

	/**
	 * Publishes the messages in order, each once the one before was accepted; completes
	 * with all receipts, or with a {@link NewsNotPublishedException} carrying those
	 * accepted before the failure.
	 */
	CompletableFuture<List<NewsReceipt>> publishAll(List<OutgoingNews> batch) {
		// Only one stage of the chain runs at a time, and each stage happens after the
		// one before.
		List<NewsReceipt> accepted = new ArrayList<>(batch.size());
		CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
		for (OutgoingNews news : batch) {
			chain = chain.thenCompose((ignored) -> publish(news)).thenAccept(accepted::add);
		}
		return chain.handle((ignored, failure) -> {
			if (failure != null) {
				throw notPublished(failure, accepted);
			}
			return List.copyOf(accepted);
		});
	}

	@Override
	public void destroy() throws InterruptedException {
		this.threads.shutdown();
		// A message being published gets its acknowledgement or its timeout, whichever is
		// first.
		this.threads.awaitTermination(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	private NewsNotPublishedException notPublished(Throwable failure, List<NewsReceipt> accepted) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof NewsNotPublishedException notPublished) {
			return accepted.isEmpty() ? notPublished
					: new NewsNotPublishedException(notPublished.getMessage(), accepted, notPublished.getCause());
		}
		if (cause instanceof TimeoutException) {
			return new NewsNotPublishedException("The broker did not acknowledge the message within "
					+ "herald.publish.timeout (" + this.timeout.toMillis() + " ms)", accepted, cause);
		}
		return new NewsNotPublishedException("The message could not be published: " + cause, accepted, cause);
	}

}
