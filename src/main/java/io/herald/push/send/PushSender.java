package io.herald.push.send;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.push.send.PushMeters.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Delivers push messages to push services in the background, never holding up the caller:
 * {@link #offer} queues a delivery, or refuses it at once when
 * {@link PushSenderSettings#queueCapacity()} deliveries are already pending.
 * <p>
 * {@link PushSenderSettings#concurrency()} {@code herald-push-N} threads encrypt and
 * send, one request each at a time. A 2xx answer is a delivery; 404 and 410 mean the
 * subscription is gone and {@link PushOutcomes#gone} is told; 429, 5xx and I/O failures
 * are tried again later, when the push service's {@code Retry-After} says or after an
 * exponential backoff, by a timer rather than a sleeping thread; any other answer is a
 * refusal that no retry would change. Logs name the subscription id and the endpoint's
 * host, never the endpoint's path, keys or payloads.
 */
public final class PushSender implements AutoCloseable {

	/** How long {@link #close()} lets queued deliveries finish. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(PushSender.class);

	private final PushSenderSettings settings;

	private final WebPushEncryption encryption = new WebPushEncryption();

	private final PushPlaintext plaintext;

	private final PushClient client;

	private final RetryPolicy retries;

	private final PushOutcomes outcomes;

	private final PushMeters meters;

	/** Deliveries accepted and not finished: queued, in flight or waiting to retry. */
	private final AtomicInteger pending = new AtomicInteger();

	private final Set<PushDelivery> waiting = ConcurrentHashMap.newKeySet();

	private final ThreadPoolExecutor workers;

	private final ScheduledThreadPoolExecutor timer;

	private volatile boolean closed;

	public PushSender(PushSenderSettings settings, VapidSigner vapid, PushOutcomes outcomes, JsonMapper json,
			MeterRegistry meters) {
		this.settings = settings;
		this.plaintext = new PushPlaintext(json, WebPushEncryption.MAX_PLAINTEXT);
		this.client = new PushClient(settings, vapid, daemon("herald-push-http-"));
		this.retries = new RetryPolicy(settings.initialBackoff(), settings.maxBackoff(), Clock.systemUTC());
		this.outcomes = outcomes;
		this.meters = new PushMeters(meters, this.pending);
		// Unbounded as a queue, bounded by the pending count that offer() keeps.
		this.workers = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), daemon("herald-push-"));
		this.timer = new ScheduledThreadPoolExecutor(1, daemon("herald-push-retry-"));
		this.timer.setRemoveOnCancelPolicy(true);
	}

	private static CustomizableThreadFactory daemon(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * Queue the delivery of a message to a subscription, without waiting.
	 * @return false, counting an overflow, when the queue is full; false also once the
	 * sender is closed
	 */
	public boolean offer(PushTarget target, PushMessage message) {
		if (this.closed) {
			return false;
		}
		int capacity = this.settings.queueCapacity();
		if (this.pending.getAndUpdate((count) -> (count < capacity) ? count + 1 : count) >= capacity) {
			this.meters.count(Outcome.OVERFLOW);
			logger.debug("Push queue full ({} deliveries): dropped a message for {}", capacity, target);
			return false;
		}
		return submit(new PushDelivery(target, message));
	}

	private boolean submit(PushDelivery delivery) {
		try {
			this.workers.execute(new Attempt(delivery));
			return true;
		}
		catch (RejectedExecutionException ex) {
			finish(Outcome.FAILED);
			return false;
		}
	}

	private void attempt(PushDelivery delivery) {
		try {
			byte[] body = delivery.body(this.encryption, this.plaintext);
			delivery.attempting();
			answered(delivery, this.client.send(delivery.target(), delivery.message().topic(), body));
		}
		catch (IOException ex) {
			// The class says enough (ConnectException, HttpTimeoutException), and no
			// message can leak a URL.
			retryLater(delivery, null, ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			fail(delivery, "interrupted by shutdown");
		}
		catch (RuntimeException ex) {
			fail(delivery, ex.getMessage());
		}
	}

	private void answered(PushDelivery delivery, HttpResponse<Void> response) {
		int status = response.statusCode();
		if (status >= 200 && status < 300) {
			finish(Outcome.DELIVERED);
		}
		else if (status == 404 || status == 410) {
			logger.debug("Push service answered {} for {}: the subscription is gone", status, delivery.target());
			try {
				this.outcomes.gone(delivery.target());
			}
			catch (RuntimeException ex) {
				logger.warn("Failed to forget gone subscription {}", delivery.target().id(), ex);
			}
			finish(Outcome.GONE);
		}
		else if (status == 429 || status >= 500) {
			retryLater(delivery, response.headers().firstValue("Retry-After").orElse(null), "status " + status);
		}
		else {
			logger.warn("Push service refused the message for {} with status {}", delivery.target(), status);
			finish(Outcome.REJECTED);
		}
	}

	private void retryLater(PushDelivery delivery, @Nullable String retryAfter, String reason) {
		if (delivery.attempts() >= this.settings.maxAttempts()) {
			fail(delivery, reason + " after " + delivery.attempts() + " attempts");
			return;
		}
		Duration delay = this.retries.delay(delivery.attempts(), retryAfter);
		if (this.retries.tooLong(delay)) {
			fail(delivery, reason + ", and the push service asks to wait " + delay + ", beyond the maximum backoff");
			return;
		}
		logger.debug("Push to {} failed ({}), retrying in {}", delivery.target(), reason, delay);
		this.meters.count(Outcome.RETRIED);
		this.waiting.add(delivery);
		try {
			this.timer.schedule(() -> {
				// Whoever takes it out of the waiting set, this timer or stop(), handles
				// it.
				if (this.waiting.remove(delivery)) {
					submit(delivery);
				}
			}, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			if (this.waiting.remove(delivery)) {
				fail(delivery, reason + ", and the sender is closing");
			}
		}
	}

	private void fail(PushDelivery delivery, @Nullable String reason) {
		logger.warn("Push to {} failed: {}", delivery.target(), reason);
		finish(Outcome.FAILED);
	}

	private void finish(Outcome outcome) {
		this.meters.count(outcome);
		this.pending.decrementAndGet();
	}

	/**
	 * Refuse new messages, drop the retries still waiting, and let the queued deliveries
	 * finish within the timeout; those left then are interrupted and counted as failed.
	 * @return whether the queued deliveries finished in time
	 */
	public boolean stop(Duration timeout) {
		this.closed = true;
		this.timer.shutdownNow();
		for (PushDelivery delivery : this.waiting) {
			if (this.waiting.remove(delivery)) {
				fail(delivery, "the sender stopped before its retry");
			}
		}
		this.workers.shutdown();
		boolean finished = awaitWorkers(timeout);
		if (!finished) {
			for (Runnable queued : this.workers.shutdownNow()) {
				fail(((Attempt) queued).delivery, "the sender stopped before it was sent");
			}
			awaitWorkers(Duration.ofSeconds(1));
		}
		this.client.close();
		return finished;
	}

	private boolean awaitWorkers(Duration timeout) {
		try {
			return this.workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Stop, giving queued deliveries {@link #CLOSE_TIMEOUT} to finish. */
	@Override
	public void close() {
		stop(CLOSE_TIMEOUT);
	}

	/**
	 * A worker's task, a type of its own so that stop() can tell what it leaves unsent.
	 */
	private final class Attempt implements Runnable {

		private final PushDelivery delivery;

		Attempt(PushDelivery delivery) {
			this.delivery = delivery;
		}

		@Override
		public void run() {
			attempt(this.delivery);
		}

	}

}
