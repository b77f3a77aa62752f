package io.herald.push.send;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import io.herald.push.send.PushServiceStandIn.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PushSenderTests {

	private static final Duration WAIT = Duration.ofSeconds(40);

	private final JsonMapper json = JsonMapper.builder().build();

	private final KeyPair vapidKeys = VapidSignerTests.generateKeys();

	private SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<PushTarget> gone = new CopyOnWriteArrayList<>();

	private final PushServiceStandIn pushService;

	private PushSender sender;

	PushSenderTests() throws IOException {
		this.pushService = new PushServiceStandIn((ECPublicKey) this.vapidKeys.getPublic());
		this.sender = sender(2, 16, 3);
	}

	@AfterEach
	void close() {
		this.sender.close();
		this.pushService.close();
		this.pushService.assertNoFailures();
	}

	@Test
	void deliversTheMessageEncryptedForTheBrowserWithItsHeaders() throws Exception {
		PushTarget browser = this.pushService.subscribe("one");

		assertThat(this.sender.offer(browser, message("/news/europe/sport", "Goal!"))).isTrue();

		Received received = this.pushService.next();
		assertThat(notification(received)).isEqualTo(this.json
			.readTree("{\"topic\": \"/news/europe/sport\", \"payload\": \"Goal!\", \"truncated\": false}"));
		assertThat(received.headers().getFirst("Content-Encoding")).isEqualTo("aes128gcm");
		assertThat(received.headers().getFirst("Content-Type")).isEqualTo("application/octet-stream");
		assertThat(received.headers().getFirst("TTL")).isEqualTo("60");
		assertThat(received.headers().getFirst("Urgency")).isEqualTo("high");
		assertThat(received.headers().getFirst("Topic")).matches("[A-Za-z0-9_-]{32}")
			.isEqualTo(PushClient.topic("/news/europe/sport"))
			.isNotEqualTo(PushClient.topic("/news/usa/sport"));
		awaitCount("delivered", 1);
		assertThat(queued()).isZero();
	}

	@Test
	void aGoneSubscriptionIsReportedOnceAndNotRetried() throws Exception {
		PushTarget browser = this.pushService.subscribe("expired");
		this.pushService.answer("expired", 410, Map.of());

		this.sender.offer(browser, message("/news/europe/sport", "Goal!"));

		this.pushService.next();
		awaitCount("gone", 1);
		// Nothing pending and nothing retried: no second request can come.
		assertThat(queued()).isZero();
		assertThat(count("retried")).isZero();
		assertThat(this.gone).containsExactly(browser);
	}

	@Test
	void tooManyRequestsIsRetriedWhenRetryAfterSaysAndThenDelivered() throws Exception {
		PushTarget browser = this.pushService.subscribe("busy");
		this.pushService.answer("busy", 429, Map.of("Retry-After", "1"));

		this.sender.offer(browser, message("/news/europe/sport", "Goal!"));

		Received refused = this.pushService.next();
		Received accepted = this.pushService.next();
		assertThat(Duration.between(refused.at(), accepted.at())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(notification(accepted)).isEqualTo(notification(refused));
		awaitCount("delivered", 1);
		assertThat(count("retried")).isEqualTo(1);
		assertThat(count("failed")).isZero();
	}

	@Test
	void aPayloadLargerThanARecordArrivesTruncatedAndMarked() throws Exception {
		PushTarget browser = this.pushService.subscribe("big");
		String payload = "Grüße aus Zürich 🏔 ".repeat(500);

		this.sender.offer(browser, message("/news/europe/weather", payload));

		Received received = this.pushService.next();
		JsonNode notification = notification(received);
		assertThat(received.bodyLength()).isLessThanOrEqualTo(4096);
		assertThat(received.plaintext().length).isLessThanOrEqualTo(WebPushEncryption.MAX_PLAINTEXT);
		assertThat(notification.get("truncated").asBoolean()).isTrue();
		assertThat(notification.get("topic").asString()).isEqualTo("/news/europe/weather");
		assertThat(notification.get("payload").asString()).isNotEmpty().satisfies((cut) -> {
			assertThat(payload).startsWith(cut);
			assertThat(cut.length()).isLessThan(payload.length());
		});
		awaitCount("delivered", 1);
	}

	@Test
	void aFullQueueRefusesTheOfferAtOnceAndCountsAnOverflow() throws Exception {
		this.sender.close();
		// A registry of its own: the queue gauge follows the sender first registered.
		this.meters = new SimpleMeterRegistry();
		this.sender = sender(1, 1, 3);
		PushTarget slow = this.pushService.subscribe("slow");
		CountDownLatch release = new CountDownLatch(1);
		this.pushService.answer("slow", 201, Map.of(), release);

		assertThat(this.sender.offer(slow, message("/news/1", "first"))).isTrue();
		assertThat(this.sender.offer(slow, message("/news/2", "second"))).isFalse();

		assertThat(count("overflow")).isEqualTo(1);
		assertThat(queued()).isEqualTo(1);
		release.countDown();
		awaitCount("delivered", 1);
		assertThat(this.sender.offer(slow, message("/news/3", "third"))).isTrue();
		awaitCount("delivered", 2);
		assertThat(this.pushService.next().plaintext()).asString(StandardCharsets.UTF_8).contains("first");
		assertThat(this.pushService.next().plaintext()).asString(StandardCharsets.UTF_8).contains("third");
	}

	@Test
	void anotherClientErrorIsRejectedWithoutRetry() throws Exception {
		PushTarget browser = this.pushService.subscribe("bad");
		this.pushService.answer("bad", 400, Map.of());

		this.sender.offer(browser, message("/news/europe/sport", "Goal!"));

		this.pushService.next();
		awaitCount("rejected", 1);
		assertThat(queued()).isZero();
		assertThat(count("retried")).isZero();
		assertThat(this.gone).isEmpty();
	}

	@Test
	void serverErrorsAreRetriedUpToTheMaximumOfAttempts() throws Exception {
		PushTarget browser = this.pushService.subscribe("down");
		for (int i = 0; i < 3; i++) {
			this.pushService.answer("down", 503, Map.of());
		}

		this.sender.offer(browser, message("/news/europe/sport", "Goal!"));

		awaitCount("failed", 1);
		assertThat(count("retried")).isEqualTo(2);
		assertThat(this.pushService.pendingRequests()).isEqualTo(3);
		assertThat(queued()).isZero();
	}

	@Test
	void anUnreachablePushServiceIsRetriedThenFails() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		BrowserSubscription browser = BrowserSubscription.generate();
		PushTarget target = browser.target("nowhere", URI.create("http://127.0.0.1:" + closedPort + "/push/x"));

		this.sender.offer(target, message("/news/europe/sport", "Goal!"));

		awaitCount("failed", 1);
		assertThat(count("retried")).isEqualTo(2);
	}

	@Test
	void stopLetsQueuedDeliveriesFinishAndThenRefusesOffers() throws Exception {
		this.sender.close();
		this.meters = new SimpleMeterRegistry();
		this.sender = sender(1, 16, 3);
		PushTarget slow = this.pushService.subscribe("slow");
		CountDownLatch release = new CountDownLatch(1);
		this.pushService.answer("slow", 201, Map.of(), release);
		for (int i = 1; i <= 3; i++) {
			this.sender.offer(slow, message("/news/" + i, "message " + i));
		}
		// The first is at the push service, held: with one worker the other two are
		// queued.
		this.pushService.next();
		Thread releaser = new Thread(() -> {
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			release.countDown();
		});
		releaser.start();

		boolean finished = this.sender.stop(WAIT);

		releaser.join();
		assertThat(finished).isTrue();
		assertThat(count("delivered")).isEqualTo(3);
		assertThat(this.sender.offer(slow, message("/news/4", "late"))).isFalse();
		assertThat(count("overflow")).isZero();
	}

	@Test
	void stopGivesUpOnWhatIsNotDoneWithinTheTimeout() throws Exception {
		this.sender.close();
		this.meters = new SimpleMeterRegistry();
		this.sender = sender(1, 16, 3);
		PushTarget stuck = this.pushService.subscribe("stuck");
		CountDownLatch release = new CountDownLatch(1);
		this.pushService.answer("stuck", 201, Map.of(), release);
		for (int i = 1; i <= 3; i++) {
			this.sender.offer(stuck, message("/news/" + i, "message " + i));
		}
		this.pushService.next();

		boolean finished = this.sender.stop(Duration.ofMillis(200));

		release.countDown();
		assertThat(finished).isFalse();
		awaitCount("failed", 3);
		assertThat(count("delivered")).isZero();
		assertThat(queued()).isZero();
	}

	private PushSender sender(int concurrency, int capacity, int attempts) {
		PushSenderSettings settings = new PushSenderSettings(Duration.ofSeconds(60), "high", concurrency, capacity,
				attempts, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(20));
		VapidSigner vapid = new VapidSigner((ECPublicKey) this.vapidKeys.getPublic(),
				(ECPrivateKey) this.vapidKeys.getPrivate(), "mailto:ops@herald.example", Clock.systemUTC());
		return new PushSender(settings, vapid, this.gone::add, this.json, this.meters);
	}

	private static PushMessage message(String topic, String payload) {
		return new PushMessage(topic, payload.getBytes(StandardCharsets.UTF_8));
	}

	private JsonNode notification(Received received) {
		return this.json.readTree(received.plaintext());
	}

	private void awaitCount(String outcome, double expected) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(count(outcome)).isEqualTo(expected));
	}

	private double count(String outcome) {
		return this.meters.get("herald.push.deliveries").tag("outcome", outcome).counter().count();
	}

	private double queued() {
		return this.meters.get("herald.push.queue").gauge().value();
	}

}
