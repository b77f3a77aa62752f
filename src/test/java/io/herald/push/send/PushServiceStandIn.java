package io.herald.push.send;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push service on loopback for the tests: it checks each request's VAPID token as a
 * push service does, decrypts the body as the subscribed browser would, keeps what it
 * received, and answers as the test scripted (201 unless told otherwise). Failed checks
 * are kept and carried back to the test by {@link #assertNoFailures()}.
 */
final class PushServiceStandIn implements AutoCloseable {

	private static final Pattern VAPID = Pattern.compile("vapid t=([A-Za-z0-9_.-]+), k=([A-Za-z0-9_-]+)");

	private final ECPublicKey vapidKey;

	private final HttpServer server;

	private final ExecutorService threads = Executors.newFixedThreadPool(4);

	private final Map<String, BrowserSubscription> browsers = new ConcurrentHashMap<>();

	private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

	private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	private final List<String> failures = new CopyOnWriteArrayList<>();

	PushServiceStandIn(ECPublicKey vapidKey) throws IOException {
		this.vapidKey = vapidKey;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/push/", this::handle);
		this.server.setExecutor(this.threads);
		this.server.start();
	}

	String origin() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** A new browser subscription whose endpoint is on this push service. */
	PushTarget subscribe(String name) {
		BrowserSubscription browser = BrowserSubscription.generate();
		this.browsers.put(name, browser);
		return browser.target(name, URI.create(origin() + "/push/" + name));
	}

	/**
	 * Answer the next request for this subscription so, after the earlier scripted ones.
	 */
	void answer(String name, int status, Map<String, String> headers) {
		answer(name, status, headers, new CountDownLatch(0));
	}

	/**
	 * {@link #answer(String, int, Map)}, but only once {@code release} is counted down.
	 */
	void answer(String name, int status, Map<String, String> headers, CountDownLatch release) {
		this.answers.computeIfAbsent(name, (key) -> new ArrayDeque<>()).add(new Answer(status, headers, release));
	}

	/** The next request received, waiting for it a generous while. */
	Received next() throws InterruptedException {
		Received next = this.received.poll(40, TimeUnit.SECONDS);
		assertThat(next).as("a request to the push service").isNotNull();
		return next;
	}

	int pendingRequests() {
		return this.received.size();
	}

	void assertNoFailures() {
		assertThat(this.failures).isEmpty();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String name = exchange.getRequestURI().getPath().substring("/push/".length());
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			Instant at = Instant.now();
			Answer answer = nextAnswer(name);
			try {
				checkVapid(exchange.getRequestHeaders().getFirst("Authorization"));
				byte[] plaintext = this.browsers.get(name).decrypt(body);
				this.received.add(new Received(name, exchange.getRequestHeaders(), body.length, plaintext, at));
			}
			catch (Exception ex) {
				this.failures.add(name + ": " + ex);
				exchange.sendResponseHeaders(400, -1);
				return;
			}
			if (!answer.release().await(40, TimeUnit.SECONDS)) {
				this.failures.add(name + ": never released");
			}
			answer.headers().forEach(exchange.getResponseHeaders()::add);
			exchange.sendResponseHeaders(answer.status(), -1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Answer nextAnswer(String name) {
		Deque<Answer> scripted = this.answers.get(name);
		Answer answer = (scripted != null) ? scripted.poll() : null;
		return (answer != null) ? answer : new Answer(201, Map.of(), new CountDownLatch(0));
	}

	private void checkVapid(String authorization) throws Exception {
		Matcher parts = VAPID.matcher(String.valueOf(authorization));
		if (!parts.matches()) {
			throw new IllegalStateException("Authorization is not 'vapid t=..., k=...': " + authorization);
		}
		if (!Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(P256.uncompressed(this.vapidKey))
			.equals(parts.group(2))) {
			throw new IllegalStateException("k is not the VAPID public key");
		}
		SignedJWT jwt = SignedJWT.parse(parts.group(1));
		if (!jwt.verify(new ECDSAVerifier(this.vapidKey))) {
			throw new IllegalStateException("The VAPID signature does not verify");
		}
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		Instant expiry = claims.getExpirationTime().toInstant();
		if (!claims.getAudience().equals(List.of(origin())) || claims.getSubject() == null
				|| expiry.isBefore(Instant.now()) || expiry.isAfter(Instant.now().plus(Duration.ofHours(24)))) {
			throw new IllegalStateException("Wrong VAPID claims: " + claims);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.threads.shutdownNow();
	}

	/** A request as the stand-in took it. */
	record Received(String name, Headers headers, int bodyLength, byte[] plaintext, Instant at) {
	}

	/** A scripted answer. */
	record Answer(int status, Map<String, String> headers, CountDownLatch release) {
	}

}
