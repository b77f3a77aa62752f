package io.herald.publish;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes checked messages through the {@link NewsGateway}, each answered within
 * {@code herald.publish.timeout}; a batch goes out in order, one message after the other.
 */
class NewsPublisher {

	private final NewsGateway gateway;

	private final Duration timeout;

	private final Clock clock;

	NewsPublisher(NewsGateway gateway, Duration timeout, Clock clock) {
		this.gateway = gateway;
		this.timeout = timeout;
		this.clock = clock;
	}

	/** Completes with the receipt once the broker accepted it, or with a {@link NewsNotPublishedException}. */
	CompletableFuture<NewsReceipt> publish(OutgoingNews news) {
		String id = UUID.randomUUID().toString();
		long deadline = this.clock.millis() + this.timeout.toMillis();
		CompletableFuture<Void> sent;
		try {
			sent = this.gateway.publish(news.payload(), news.topic(), news.qos(), news.retain(), id, deadline);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(
					new NewsNotPublishedException("Too many messages are waiting to be published", ex));
		}
		return sent.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS).handle((ignored, failure) -> {
			if (failure != null) {
				throw notPublished(failure, List.of());
			}
			return new NewsReceipt(id, news.topic(), news.qos(), news.retain(), this.clock.instant());
		});
	}

	/**
	 * Publishes the messages in order, each once the one before was accepted; completes with all
	 * receipts, or with a {@link NewsNotPublishedException} carrying those accepted before the
	 * failure.
	 */
	CompletableFuture<List<NewsReceipt>> publishAll(List<OutgoingNews> batch) {
		// Only one stage of the chain runs at a time, and each stage happens after the one before.
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
