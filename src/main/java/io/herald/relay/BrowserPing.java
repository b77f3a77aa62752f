package io.herald.relay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * Finds browsers that went away without closing (a phone out of coverage, a NAT box that
 * forgot the connection): a WebSocket ping every interval, and the connection given up
 * when nothing came back from the browser for two, so its sockets and its broker session
 * are freed. Anything the browser sends counts as an answer, not only a pong: some MQTT
 * clients never answer pings but keep their connection alive with MQTT's own. Runs on its
 * link's event loop.
 */
final class BrowserPing {

	/** Pings sent with no answer after which the browser is given up. */
	private static final int UNANSWERED_LIMIT = 2;

	private final Runnable ping;

	private final Duration interval;

	private final Consumer<CloseCause> silent;

	private int unanswered;

	private @Nullable ScheduledFuture<?> task;

	BrowserPing(Duration interval, Runnable ping, Consumer<CloseCause> silent) {
		this.ping = ping;
		this.interval = interval;
		this.silent = silent;
	}

	void start(EventLoop eventLoop) {
		long nanos = this.interval.toNanos();
		this.task = eventLoop.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
	}

	/** Something came from the browser. */
	void answered() {
		this.unanswered = 0;
	}

	void stop() {
		ScheduledFuture<?> scheduled = this.task;
		if (scheduled != null) {
			scheduled.cancel(false);
			this.task = null;
		}
	}

	private void tick() {
		if (this.unanswered >= UNANSWERED_LIMIT) {
			stop();
			this.silent.accept(CloseCause.noAnswer(this.interval.multipliedBy(UNANSWERED_LIMIT)));
			return;
		}
		this.unanswered++;
		this.ping.run();
	}

}
