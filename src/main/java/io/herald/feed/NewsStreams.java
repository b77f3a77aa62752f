package io.herald.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Every open Server-Sent Events stream of the feed: each message the history keeps goes,
 * encoded once, to the streams whose filters match it; a stream opened with a last event
 * id first gets what the history still holds after it, with nothing lost or repeated at
 * the seam between replay and live.
 * <p>
 * The feed only queues: writing is done by a few {@code herald-sse} threads with the
 * container's non-blocking output, so a client that stops reading costs its own queue and
 * then its stream, never the feed or another stream.
 */
class NewsStreams implements SmartLifecycle {

	private final NewsHistory history;

	private final FeedProperties properties;

	private final JsonMapper json;

	private final Set<NewsStream> streams = ConcurrentHashMap.newKeySet();

	/** Made anew at each start: a paused context is stopped and started again. */
	private volatile ThreadPoolExecutor writers;

	private volatile ScheduledExecutorService heartbeats;

	private final byte[] retry;

	private final Counter events;

	private final Map<NewsStream.Ending, Counter> closes = new EnumMap<>(NewsStream.Ending.class);

	private volatile boolean running;

	NewsStreams(NewsHistory history, FeedProperties properties, JsonMapper json, MeterRegistry meters) {
		this.history = history;
		this.properties = properties;
		this.json = json;
		this.writers = writers();
		this.heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("herald-sse-heartbeat-"));
		this.retry = ("retry: " + properties.sseRetry().toMillis() + "\n\n").getBytes(StandardCharsets.UTF_8);
		this.events = Counter.builder("herald.feed.sse.events")
			.description("Events written to Server-Sent Events streams (replayed and live)")
			.register(meters);
		for (NewsStream.Ending ending : NewsStream.Ending.values()) {
			this.closes.put(ending,
					Counter.builder("herald.feed.sse.closes")
						.description("Server-Sent Events streams ended, by why")
						.tag("reason", ending.name().toLowerCase())
						.register(meters));
		}
		Gauge.builder("herald.feed.sse.streams", this.streams, Set::size)
			.description("Server-Sent Events streams open right now")
			.register(meters);
	}

	private static ThreadPoolExecutor writers() {
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				daemon("herald-sse-"));
	}

	private static CustomizableThreadFactory daemon(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * Open a stream on this request of the topics it {@code wanted}: replay after
	 * {@code lastId} when given, then live.
	 * @throws IllegalArgumentException if {@code lastId} is not one of the history's ids
	 * (nothing is sent then)
	 * @throws UnavailableException if Herald is stopping or holds its maximum of streams
	 */
	void open(HttpServletRequest request, HttpServletResponse response, Predicate<String> wanted,
			@Nullable String lastId) throws IOException {
		if (!this.running) {
			throw new UnavailableException("Herald is shutting down");
		}
		if (this.streams.size() >= this.properties.sseMaxStreams()) {
			throw new UnavailableException("Herald already holds its maximum of " + this.properties.sseMaxStreams()
					+ " event streams (herald.feed.sse-max-streams)");
		}
		NewsStream stream = new NewsStream(wanted, this.properties.sseQueue(),
				this.properties.sseQueueBytes().toBytes(), (task) -> this.writers.execute(task), this.events,
				this::closed);
		stream.first(this.retry);
		// No message can be added meanwhile: the replay ends where the live events begin.
		this.history.exclusively(() -> {
			if (lastId != null) {
				NewsHistory.Replay replay = this.history.after(lastId, stream::wants);
				if (replay.gap()) {
					stream.first(gap(lastId, replay.horizon()));
				}
				replay.items().forEach((item) -> stream.first(event(item)));
			}
			this.streams.add(stream);
			return stream;
		});
		try {
			response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
			// Proxies such as nginx must not hold events back either.
			response.setHeader("X-Accel-Buffering", "no");
			AsyncContext async = request.startAsync();
			async.setTimeout(0);
			stream.start(async, response.getOutputStream());
		}
		catch (IOException | RuntimeException ex) {
			this.streams.remove(stream);
			throw ex;
		}
	}

	/** A message the history just kept; called while it holds its write lock. */
	void received(NewsItem item) {
		byte[] event = null;
		for (NewsStream stream : this.streams) {
			if (stream.wants(item.topic())) {
				if (event == null) {
					event = event(item);
				}
				stream.offer(event);
			}
		}
	}

	int size() {
		return this.streams.size();
	}

	private void closed(NewsStream stream, NewsStream.Ending ending) {
		this.streams.remove(stream);
		this.closes.get(ending).increment();
	}

	private byte[] event(NewsItem item) {
		return ("id: " + item.id() + "\nevent: message\ndata: " + this.json.writeValueAsString(item) + "\n\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	private byte[] gap(String lastId, String horizon) {
		Map<String, String> data = new LinkedHashMap<>();
		data.put("lastEventId", lastId);
		data.put("resumedAfter", horizon);
		// Its id moves the client to where the history begins, so the gap is told once.
		return ("id: " + horizon + "\nevent: gap\ndata: " + this.json.writeValueAsString(data) + "\n\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void start() {
		if (this.writers.isShutdown()) {
			this.writers = writers();
			this.heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("herald-sse-heartbeat-"));
		}
		this.history.listen(this::received);
		long heartbeat = this.properties.sseHeartbeat().toMillis();
		this.heartbeats.scheduleWithFixedDelay(() -> this.streams.forEach(NewsStream::heartbeat), heartbeat, heartbeat,
				TimeUnit.MILLISECONDS);
		this.running = true;
	}

	/**
	 * Streams end cleanly before the web server's graceful shutdown waits for requests.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.history.listen((item) -> {
		});
		List.copyOf(this.streams).forEach(NewsStream::close);
		this.heartbeats.shutdownNow();
		this.writers.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** No stream can be opened now. */
	static final class UnavailableException extends RuntimeException {

		UnavailableException(String message) {
			super(message);
		}

	}

}
