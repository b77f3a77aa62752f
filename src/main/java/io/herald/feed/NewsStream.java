package io.herald.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's Server-Sent Events stream: the events it is owed, written with the servlet
 * container's non-blocking output, so that no thread waits on a slow client and a client
 * too far behind is closed instead of slowing anyone else.
 * <p>
 * Events arrive from the feed (live) and from the history (replayed before the first live
 * one); what is replayed is bounded by the history, what is live by
 * {@code herald.feed.sse-queue} events and {@code herald.feed.sse-queue-bytes}.
 */
final class NewsStream implements WriteListener, AsyncListener {

	private static final Logger logger = LoggerFactory.getLogger(NewsStream.class);

	private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

	private final Predicate<String> wanted;

	private final int maxBehind;

	private final long maxBehindBytes;

	private final Executor writer;

	private final Counter events;

	private final Closed closed;

	private @Nullable AsyncContext async;

	private @Nullable ServletOutputStream out;

	/** Sent before anything live: the retry field, a gap, the replayed messages. */
	private final ArrayDeque<byte[]> replay = new ArrayDeque<>();

	private final ArrayDeque<byte[]> live = new ArrayDeque<>();

	/** The bytes of the live events not yet written. */
	private long liveBytes;

	/** Whether the output took everything so far: writing now would not block. */
	private boolean writable;

	/** Whether a write task is queued or running. */
	private boolean writing;

	private boolean done;

	private long sent;

	NewsStream(Predicate<String> wanted, int maxBehind, long maxBehindBytes, Executor writer, Counter events,
			Closed closed) {
		this.wanted = wanted;
		this.maxBehind = maxBehind;
		this.maxBehindBytes = maxBehindBytes;
		this.writer = writer;
		this.events = events;
		this.closed = closed;
	}

	boolean wants(String topic) {
		return this.wanted.test(topic);
	}

	/** Something to send before the live events; only before {@link #start()}. */
	void first(byte[] event) {
		this.replay.add(event);
	}

	/**
	 * Begin writing to the response, once the container says its output is ready; what
	 * was offered before waits until then.
	 */
	void start(AsyncContext async, ServletOutputStream out) {
		boolean ended;
		synchronized (this) {
			this.async = async;
			this.out = out;
			ended = this.done;
		}
		if (ended) {
			async.complete();
			return;
		}
		async.addListener(this);
		out.setWriteListener(this);
	}

	/**
	 * A live event; a client that would so fall more than {@code herald.feed.sse-queue}
	 * events or {@code herald.feed.sse-queue-bytes} behind is closed instead.
	 */
	void offer(byte[] event) {
		synchronized (this) {
			if (this.done) {
				return;
			}
			if (this.live.size() < this.maxBehind && this.liveBytes + event.length <= this.maxBehindBytes) {
				this.live.add(event);
				this.liveBytes += event.length;
				schedule();
				return;
			}
			logger.debug("Event stream {} events and {} bytes behind: closing it", this.live.size(), this.liveBytes);
			this.done = true;
		}
		end(Ending.BEHIND);
	}

	/** A comment line, when nothing else is waiting to go out. */
	void heartbeat() {
		synchronized (this) {
			if (!this.done && this.live.isEmpty() && this.replay.isEmpty()) {
				this.live.add(HEARTBEAT);
				this.liveBytes += HEARTBEAT.length;
				schedule();
			}
		}
	}

	/** End the stream after what was already handed to the container. */
	void close() {
		ended(Ending.CLOSED);
	}

	long sent() {
		synchronized (this) {
			return this.sent;
		}
	}

	private void schedule() {
		if (this.writable && !this.writing) {
			this.writing = true;
			try {
				this.writer.execute(this::write);
			}
			catch (RejectedExecutionException ex) {
				// Herald is stopping: the stream is being closed.
				this.writing = false;
			}
		}
	}

	private void write() {
		boolean failed;
		synchronized (this) {
			this.writing = false;
			failed = drain();
		}
		if (failed) {
			end(Ending.FAILED);
		}
	}

	@Override
	public void onWritePossible() {
		boolean failed;
		synchronized (this) {
			this.writable = true;
			failed = drain();
		}
		if (failed) {
			end(Ending.FAILED);
		}
	}

	/**
	 * Write while the output takes it without blocking, then flush.
	 * @return whether writing failed, which ends the stream
	 */
	private boolean drain() {
		ServletOutputStream out = this.out;
		if (this.done || out == null) {
			return false;
		}
		try {
			boolean wrote = false;
			while (out.isReady()) {
				byte[] event = this.replay.poll();
				if (event == null) {
					event = this.live.poll();
					if (event != null) {
						this.liveBytes -= event.length;
					}
				}
				if (event == null) {
					if (!wrote) {
						return false;
					}
					// Nothing is held back: each batch goes out as soon as it is written.
					out.flush();
					wrote = false;
					continue;
				}
				out.write(event);
				if (event != HEARTBEAT) {
					this.sent++;
					this.events.increment();
				}
				wrote = true;
			}
			// The container calls onWritePossible once the output has drained.
			this.writable = false;
			return false;
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("Event stream write failed: {}", ex.toString());
			this.done = true;
			return true;
		}
	}

	/** End the stream unless it already ended. */
	private void ended(Ending ending) {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
		}
		end(ending);
	}

	/** The stream is done: tell its owner and complete the response, outside the lock. */
	private void end(Ending ending) {
		synchronized (this) {
			this.replay.clear();
			this.live.clear();
			this.liveBytes = 0;
		}
		this.closed.closed(this, ending);
		complete();
	}

	private void complete() {
		AsyncContext async;
		synchronized (this) {
			async = this.async;
		}
		if (async == null) {
			return;
		}
		try {
			async.complete();
		}
		catch (IllegalStateException ex) {
			// Already completed: the client went away.
		}
	}

	// The container's callbacks complete the request themselves, even when the stream
	// already ended on another thread: left uncompleted, it would be dispatched to the
	// error page.

	@Override
	public void onError(Throwable failure) {
		logger.debug("Event stream failed: {}", failure.toString());
		ended(Ending.FAILED);
		complete();
	}

	@Override
	public void onComplete(AsyncEvent event) {
		ended(Ending.FAILED);
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		ended(Ending.FAILED);
		complete();
	}

	@Override
	public void onError(AsyncEvent event) {
		ended(Ending.FAILED);
		complete();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	/** How a stream ended. */
	enum Ending {

		/** Herald closed it (shutdown). */
		CLOSED,

		/**
		 * Its client fell more than {@code herald.feed.sse-queue} events or
		 * {@code herald.feed.sse-queue-bytes} behind.
		 */
		BEHIND,

		/** Its client went away, or writing to it failed. */
		FAILED

	}

	/** Told once when a stream ends. */
	interface Closed {

		void closed(NewsStream stream, Ending ending);

	}

}
