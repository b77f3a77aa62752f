package io.herald.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A Server-Sent Events client for tests, reading the stream as {@code EventSource} does
 * (fields per event, blank line ends it, comments kept apart) on a thread of its own.
 */
public final class EventStreamClient implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.sslContext(TestTls.trustingAll())
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final HttpResponse<InputStream> response;

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final Thread reader;

	private volatile boolean ended;

	private volatile @Nullable IOException failure;

	private EventStreamClient(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new Thread(this::read, "event-stream-client");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/** Open {@code uri} with {@code headers}; the status may be an error. */
	public static EventStreamClient open(URI uri, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(10));
		headers.forEach(request::header);
		try {
			return new EventStreamClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not open " + uri, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public int status() {
		return this.response.statusCode();
	}

	public String header(String name) {
		return this.response.headers().firstValue(name).orElse("");
	}

	/** The next event or comment, waiting at most {@code timeout}; null if none came. */
	public @Nullable Event next(Duration timeout) {
		try {
			return this.events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** The next event that is not a comment, waiting at most {@code timeout}. */
	public @Nullable Event nextEvent(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Event event = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			if (event == null || !event.comment()) {
				return event;
			}
		}
	}

	/** Whether the server ended the stream normally (no error while reading it). */
	public boolean endedCleanly(Duration timeout) throws InterruptedException {
		this.reader.join(timeout.toMillis());
		return this.ended && this.failure == null;
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			Event.Builder event = new Event.Builder();
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.isEmpty()) {
					if (!event.isEmpty()) {
						this.events.add(event.build());
					}
					event = new Event.Builder();
				}
				else if (line.startsWith(":")) {
					this.events.add(new Event(null, null, line.substring(1).trim(), null, true));
				}
				else {
					int colon = line.indexOf(':');
					String field = (colon >= 0) ? line.substring(0, colon) : line;
					String value = (colon >= 0) ? line.substring(colon + 1) : "";
					event.field(field, value.startsWith(" ") ? value.substring(1) : value);
				}
			}
			this.ended = true;
		}
		catch (IOException ex) {
			this.failure = ex;
		}
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	/**
	 * One event: its fields, or a comment's text in {@code data}.
	 *
	 * @param id the {@code id} field
	 * @param event the {@code event} field
	 * @param data the {@code data} field (lines joined by newlines), or a comment's text
	 * @param retry the {@code retry} field
	 * @param comment whether this was a comment line
	 */
	public record Event(@Nullable String id, @Nullable String event, @Nullable String data, @Nullable String retry,
			boolean comment) {

		static final class Builder {

			private @Nullable String id;

			private @Nullable String event;

			private @Nullable StringBuilder data;

			private @Nullable String retry;

			void field(String name, String value) {
				switch (name) {
					case "id" -> this.id = value;
					case "event" -> this.event = value;
					case "retry" -> this.retry = value;
					case "data" -> this.data = (this.data == null) ? new StringBuilder(value)
							: this.data.append('\n').append(value);
					default -> {
					}
				}
			}

			boolean isEmpty() {
				return this.id == null && this.event == null && this.data == null && this.retry == null;
			}

			Event build() {
				return new Event(this.id, this.event, (this.data != null) ? this.data.toString() : null, this.retry,
						false);
			}

		}

	}

}
