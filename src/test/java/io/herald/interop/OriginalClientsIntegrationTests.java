package io.herald.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.herald.relay.RelayEndpoint;
import io.herald.support.HeraldIntegrationTest;
import io.herald.support.MqttWebSocketClient;
import io.herald.support.PahoClients;
import io.herald.support.RequiredBinary;
import io.herald.support.TestHttp;
import io.herald.support.TestTokens;
import io.herald.support.WithExternalMosquitto;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clients of the setup Herald replaces (Paho over WebSocket through lighttpd's
 * mod_websocket to Mosquitto, with {@code mosquitto_pub} and a Python paho subscriber on
 * the broker's TCP port) still reach each other with Herald in lighttpd's place, in front
 * of a real Mosquitto: REST and relayed publishes reach the Python subscriber, Python
 * paho publishes over Herald's WebSocket with a token, and a retained
 * {@code mosquitto_pub} reaches a WebSocket subscriber that comes later.
 */
@HeraldIntegrationTest
class OriginalClientsIntegrationTests extends WithExternalMosquitto {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Autowired
	private ApplicationContext context;

	@LocalServerPort
	private int port;

	@TempDir
	private Path temp;

	private final List<PythonPaho> pythons = new ArrayList<>();

	@AfterEach
	void stopPythons() {
		this.pythons.forEach(PythonPaho::close);
	}

	@Test
	void restPublishReachesPythonSubscriberOnBrokerPort() throws IOException {
		PythonPaho subscriber = pythonSubscriber("/news/+/sport");

		assertThat(restPublish("/news/usa/tennis", "not for this filter").getStatusCode())
			.isEqualTo(HttpStatus.ACCEPTED);
		assertThat(restPublish("/news/europe/sport", "this is the message about european sports").getStatusCode())
			.isEqualTo(HttpStatus.ACCEPTED);

		assertThat(subscriber.awaitMessages(1))
			.containsExactly(new Received("/news/europe/sport", "this is the message about european sports", 1, false));
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void relayedPublishReachesPythonSubscriberOnBrokerPort(RelayEndpoint endpoint) throws IOException {
		PythonPaho subscriber = pythonSubscriber("/news/usa/+");
		String payload = "ace, relayed by the " + endpoint + " endpoint";
		MqttWebSocketClient browser = MqttWebSocketClient.connect(endpoint.uri(this.context), "mqtt");
		try {
			String token = TestTokens.publishing("/news/usa/#");
			browser.send(MqttMessageBuilders.connect()
				.protocolVersion(MqttVersion.MQTT_3_1_1)
				.clientId("interop-" + endpoint)
				.cleanSession(true)
				.keepAlive(60)
				.hasUser(true)
				.username("token")
				.hasPassword(true)
				.password(token.getBytes(StandardCharsets.UTF_8))
				.build());
			assertThat(((MqttConnAckMessage) browser.awaitMessage(MqttMessageType.CONNACK)).variableHeader()
				.connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
			browser.send(MqttMessageBuilders.publish()
				.topicName("/news/usa/tennis")
				.qos(MqttQoS.AT_LEAST_ONCE)
				.messageId(7)
				.payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
				.build());
			MqttMessage pubAck = browser.awaitMessage(MqttMessageType.PUBACK);
			assertThat(((MqttMessageIdVariableHeader) pubAck.variableHeader()).messageId()).isEqualTo(7);

			assertThat(subscriber.awaitMessages(1))
				.containsExactly(new Received("/news/usa/tennis", payload, 1, false));
		}
		finally {
			browser.abort();
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void pythonPahoOverHeraldWebSocketReachesBrokerSubscriber(RelayEndpoint endpoint) throws Exception {
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		MqttClient subscriber = PahoClients.connect(mosquitto.tcpUri(), MqttConnectOptions.MQTT_VERSION_3_1_1);
		try {
			subscriber.subscribe("/news/asia/#", 1, (topic, message) -> arrived.add(topic + " "
					+ new String(message.getPayload(), StandardCharsets.UTF_8) + " qos=" + message.getQos()));
			URI uri = endpoint.uri(this.context);
			String payload = "from python paho over " + uri.getScheme() + " to the " + endpoint + " endpoint";
			List<String> arguments = new ArrayList<>(List.of("publish", "--host", uri.getHost(), "--port",
					String.valueOf(uri.getPort()), "--websocket-path", uri.getPath(), "--username", "token", "--topic",
					"/news/asia/football", "--message", payload));
			if ("wss".equals(uri.getScheme())) {
				arguments.add("--tls");
			}
			// Anonymous browsers may not publish: only the token in the password lets it
			// through.
			PythonPaho publisher = python(Map.of("MQTT_PASSWORD", TestTokens.publishing("/news/asia/#")), arguments);

			assertThat(publisher.awaitExit()).as(publisher::errors).isZero();
			assertThat(publisher.lines()).containsExactly("published");
			assertThat(arrived.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
				.isEqualTo("/news/asia/football " + payload + " qos=1");
		}
		finally {
			PahoClients.closeQuietly(subscriber);
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource
	void retainedMosquittoPubReachesLaterWebSocketSubscriber(RelayEndpoint endpoint) throws Exception {
		Path mosquittoPub = RequiredBinary.find("mosquitto_pub", "mosquitto-clients");
		String topic = "/news/europe/weather/" + endpoint.name().toLowerCase(Locale.ROOT);
		String payload = "rain over europe, kept for the " + endpoint + " endpoint";
		run(mosquittoPub, "-h", "127.0.0.1", "-p", String.valueOf(mosquitto.port()), "-q", "1", "-r", "-t", topic, "-m",
				payload);
		BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
		// Anonymous: the default rights let anyone subscribe to /news/#.
		MqttClient browser = PahoClients.connect(endpoint.uri(this.context).toString(),
				MqttConnectOptions.MQTT_VERSION_3_1_1);
		try {
			browser.subscribe(topic, 1, (received, message) -> arrived.add(received + " "
					+ new String(message.getPayload(), StandardCharsets.UTF_8) + " retained=" + message.isRetained()));

			assertThat(arrived.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
				.isEqualTo(topic + " " + payload + " retained=true");
		}
		finally {
			PahoClients.closeQuietly(browser);
			// An empty retained message clears it: the broker is left as this test found
			// it.
			run(mosquittoPub, "-h", "127.0.0.1", "-p", String.valueOf(mosquitto.port()), "-r", "-n", "-t", topic);
		}
	}

	private ResponseEntity<String> restPublish(String topic, String payload) {
		return TestHttp.client(this.port, TestTokens.admin())
			.post()
			.uri("/api/news")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("topic", topic, "payload", payload))
			.retrieve()
			.toEntity(String.class);
	}

	/** A Python paho client on the broker's TCP port, subscribed to {@code filter}. */
	private PythonPaho pythonSubscriber(String filter) throws IOException {
		PythonPaho subscriber = python(Map.of(), List.of("subscribe", "--host", "127.0.0.1", "--port",
				String.valueOf(mosquitto.port()), "--topic", filter));
		subscriber.awaitLine("ready");
		return subscriber;
	}

	private PythonPaho python(Map<String, String> environment, List<String> arguments) throws IOException {
		PythonPaho python = PythonPaho.start(this.temp, environment, arguments);
		this.pythons.add(python);
		return python;
	}

	private static void run(Path binary, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(binary.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("%s finished", command).isTrue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(output).isZero();
		}
		finally {
			stop(process);
		}
	}

	private static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A message as the Python subscriber printed it. */
	record Received(String topic, String payload, int qos, boolean retain) {

		static Received parse(String line) {
			JsonNode json = JsonMapper.shared().readTree(line);
			return new Received(json.get("topic").stringValue(), json.get("payload").stringValue(),
					json.get("qos").intValue(), json.get("retain").booleanValue());
		}

	}

	/**
	 * The Python paho script ({@code interop/paho_client.py}) run by Debian's Python: its
	 * output lines collected as they come, its errors kept in a file.
	 */
	private static final class PythonPaho implements AutoCloseable {

		/** How long the script may live, whatever happens to the test. */
		private static final String LIFETIME = "60";

		private final Process process;

		private final Path errors;

		private final List<String> lines = new CopyOnWriteArrayList<>();

		private final Thread reader;

		private PythonPaho(Process process, Path errors) {
			this.process = process;
			this.errors = errors;
			this.reader = new Thread(this::read, "python-paho-" + process.pid());
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static PythonPaho start(Path directory, Map<String, String> environment, List<String> arguments)
				throws IOException {
			Path python = RequiredBinary.python3With("paho.mqtt.client", "python3-paho-mqtt");
			List<String> command = new ArrayList<>(
					List.of(python.toString(), new ClassPathResource("interop/paho_client.py").getFile().getPath()));
			command.addAll(arguments);
			command.addAll(List.of("--timeout", LIFETIME));
			Path errors = Files.createTempFile(directory, "python-paho-", ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
			builder.environment().putAll(environment);
			return new PythonPaho(builder.start(), errors);
		}

		/** Wait for the script to print {@code line}, failing at once if it exits. */
		void awaitLine(String line) {
			await("python paho printing " + line).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
				checkAlive();
				return this.lines.contains(line);
			});
		}

		/** Wait for {@code count} messages; return every message received by then. */
		List<Received> awaitMessages(int count) {
			await("python paho receiving " + count).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
				checkAlive();
				return messages().size() >= count;
			});
			return messages();
		}

		/**
		 * Wait for the script to end (its own waits, for the CONNACK and the PUBACK, are
		 * shorter), and return its exit code.
		 */
		int awaitExit() throws InterruptedException {
			assertThat(this.process.waitFor(30, TimeUnit.SECONDS)).as("python paho finished").isTrue();
			this.reader.join(Duration.ofSeconds(5).toMillis());
			return this.process.exitValue();
		}

		List<String> lines() {
			return List.copyOf(this.lines);
		}

		String errors() {
			try {
				return Files.readString(this.errors);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private List<Received> messages() {
			return this.lines.stream().filter((line) -> line.startsWith("{")).map(Received::parse).toList();
		}

		private void checkAlive() {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"python paho exited with " + this.process.exitValue() + ": " + errors() + this.lines);
			}
		}

		private void read() {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = output.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// The process was stopped: its output ends here.
			}
		}

		@Override
		public void close() {
			stop(this.process);
			try {
				this.reader.join(Duration.ofSeconds(5).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
