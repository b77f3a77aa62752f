package io.herald.feed;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import io.herald.support.EventStreamClient;
import io.herald.support.EventStreamClient.Event;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.TestHttp;
import io.herald.support.TestTls;
import io.herald.support.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/news/stream} end to end: live events for MQTT filters, rights checked
 * before the stream starts, replay after a last event id with nothing lost or repeated at
 * the seam, a gap told once, heartbeats, a client that stops reading closed without
 * slowing another, and streams ended cleanly when Herald stops.
 */
@HeraldIntegrationTest
@TestPropertySource(properties = { "herald.feed.topics=/news/#,/private/#", "herald.feed.sse-heartbeat=300ms",
		"herald.feed.sse-queue=20" })
class NewsStreamIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private NewsStreams streams;

	@Autowired
	private MeterRegistry meters;

	private final List<EventStreamClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(EventStreamClient::close);
	}

	@Test
	void matchingMessagesArriveLiveAsEvents() {
		EventStreamClient stream = open("?filter=/news/+/sport&filter=/news/live/weather", Map.of());
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.header("Content-Type")).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
		assertThat(stream.nextEvent(WAIT).retry()).isEqualTo("5000");

		publish("/news/live/sport", "goal");
		publish("/news/live/tennis", "ace");
		publish("/news/live/weather", "rain");

		Event goal = stream.nextEvent(WAIT);
		assertThat(goal.event()).isEqualTo("message");
		JsonNode data = JsonMapper.shared().readTree(goal.data());
		assertThat(data.get("topic").asString()).isEqualTo("/news/live/sport");
		assertThat(data.get("payload").asString()).isEqualTo("goal");
		assertThat(data.get("qos").asInt()).isEqualTo(1);
		assertThat(data.get("retained").asBoolean()).isFalse();
		assertThat(data.get("receivedAt").asString()).isNotBlank();
		assertThat(goal.id()).isEqualTo(data.get("id").asString()).matches("[0-9a-z]+-[0-9]+");
		assertThat(payload(stream.nextEvent(WAIT))).isEqualTo("rain");
	}

	@Test
	void filtersOutsideTheCallersRightsAreRefusedBeforeTheStreamStarts() {
		EventStreamClient anonymous = open("?filter=/private/%23", Map.of());
		assertThat(anonymous.status()).isEqualTo(403);
		assertThat(anonymous.header("Content-Type")).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		assertThat(open("?filter=/news/a%23", Map.of()).status()).isEqualTo(400);
		assertThat(open("?lastEventId=yesterday", Map.of()).status()).isEqualTo(400);
		assertThat(open("?filter=%23", Map.of()).status()).isEqualTo(403);

		// EventSource cannot set headers: the token may come in the URL.
		EventStreamClient allowed = open("?filter=/private/%23&access_token=" + TestTokens.subscribing("/private/#"),
				Map.of());
		assertThat(allowed.status()).isEqualTo(200);
		allowed.nextEvent(WAIT);
		publish("/private/stream", "for the few");
		assertThat(payload(allowed.nextEvent(WAIT))).isEqualTo("for the few");
		assertThat(open("?access_token=not-a-token", Map.of()).status()).isEqualTo(401);

		// Without a filter: whatever the caller may subscribe to.
		EventStreamClient everything = open("", Map.of());
		everything.nextEvent(WAIT);
		publish("/private/unseen", "not for anonymous");
		publish("/news/default/seen", "for anyone");
		assertThat(payload(everything.nextEvent(WAIT))).isEqualTo("for anyone");
	}

	@Test
	void aReconnectingClientIsReplayedWhatItMissedThenContinuesLive() {
		publish("/news/replay/a", "one");
		EventStreamClient first = open("?filter=/news/replay/%23", Map.of());
		first.nextEvent(WAIT);
		publish("/news/replay/a", "two");
		Event two = first.nextEvent(WAIT);
		assertThat(payload(two)).isEqualTo("two");
		first.close();
		publish("/news/replay/a", "three");
		publish("/news/replay/b", "four");
		publish("/news/other", "not wanted");

		EventStreamClient again = open("?filter=/news/replay/%23", Map.of("Last-Event-ID", two.id()));
		assertThat(again.nextEvent(WAIT).retry()).isNotNull();
		assertThat(payload(again.nextEvent(WAIT))).isEqualTo("three");
		assertThat(payload(again.nextEvent(WAIT))).isEqualTo("four");
		publish("/news/replay/a", "five");
		assertThat(payload(again.nextEvent(WAIT))).isEqualTo("five");
		assertThat(again.nextEvent(Duration.ofMillis(500))).isNull();

		// lastEventId does the same on a first connect.
		EventStreamClient query = open("?filter=/news/replay/b&lastEventId=" + two.id(), Map.of());
		query.nextEvent(WAIT);
		assertThat(payload(query.nextEvent(WAIT))).isEqualTo("four");
	}

	@Test
	void anIdFromBeforeARestartStartsWithAGap() {
		publish("/news/gap/a", "kept");
		EventStreamClient stream = open("?filter=/news/gap/%23", Map.of("Last-Event-ID", "1-7"));
		stream.nextEvent(WAIT);
		Event gap = stream.nextEvent(WAIT);
		assertThat(gap.event()).isEqualTo("gap");
		assertThat(JsonMapper.shared().readTree(gap.data()).get("lastEventId").asString()).isEqualTo("1-7");
		assertThat(gap.id()).matches("[0-9a-z]+-[0-9]+");
		assertThat(payload(stream.nextEvent(WAIT))).isEqualTo("kept");
	}

	@Test
	void idleStreamsGetHeartbeats() {
		EventStreamClient stream = open("?filter=/news/quiet", Map.of());
		stream.nextEvent(WAIT);
		Event heartbeat = stream.next(WAIT);
		assertThat(heartbeat.comment()).isTrue();
		assertThat(heartbeat.data()).isEqualTo("heartbeat");
	}

	@Test
	void aClientThatStopsReadingIsClosedWithoutSlowingAnother() throws Exception {
		double behindBefore = closes("behind");
		EventStreamClient reading = open("?filter=/news/flood", Map.of());
		reading.nextEvent(WAIT);
		int streamsBefore = this.streams.size();
		try (SSLSocket stalled = (SSLSocket) TestTls.trustingAll()
			.getSocketFactory()
			.createSocket("localhost", this.port)) {
			stalled.setReceiveBufferSize(4096);
			OutputStream request = stalled.getOutputStream();
			request.write(("GET /api/news/stream?filter=/news/flood HTTP/1.1\r\nHost: localhost\r\n"
					+ "Accept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			request.flush();
			InputStream response = stalled.getInputStream();
			assertThat(new String(response.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
			await().atMost(WAIT).until(() -> this.streams.size() == streamsBefore + 1);
			// From here on the stalled client reads nothing.
			String large = "x".repeat(64 * 1024);
			int messages = 100;
			for (int i = 0; i < messages; i++) {
				publish("/news/flood", i + large);
			}
			for (int i = 0; i < messages; i++) {
				assertThat(payload(reading.nextEvent(WAIT))).startsWith(String.valueOf(i));
			}
			await().atMost(WAIT).until(() -> closes("behind") > behindBefore);
			await().atMost(WAIT).until(() -> this.streams.size() == streamsBefore);
		}
	}

	@Test
	@DirtiesContext
	void streamsEndCleanlyWhenHeraldStopsAndWorkAgainAfterARestart() throws InterruptedException {
		EventStreamClient stream = open("?filter=/news/%23", Map.of());
		stream.nextEvent(WAIT);
		this.streams.stop();
		assertThat(stream.endedCleanly(WAIT)).isTrue();
		assertThat(open("", Map.of()).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());

		// A paused context is stopped and started again: streams work once more.
		this.streams.start();
		EventStreamClient again = open("?filter=/news/restarted", Map.of());
		again.nextEvent(WAIT);
		publish("/news/restarted", "back");
		assertThat(payload(again.nextEvent(WAIT))).isEqualTo("back");
	}

	private double closes(String reason) {
		return this.meters.get("herald.feed.sse.closes").tag("reason", reason).counter().count();
	}

	private EventStreamClient open(String query, Map<String, String> headers) {
		EventStreamClient client = EventStreamClient
			.open(URI.create("https://localhost:" + this.port + "/api/news/stream" + query), headers);
		this.clients.add(client);
		return client;
	}

	private static String payload(Event event) {
		assertThat(event).as("an event").isNotNull();
		assertThat(event.event()).isEqualTo("message");
		return JsonMapper.shared().readTree(event.data()).get("payload").asString();
	}

	private void publish(String topic, String payload) {
		assertThat(TestHttp.client(this.port, TestTokens.admin())
			.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
	}

}
