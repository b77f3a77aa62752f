package io.herald.page;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttDecoder;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a browser started with {@link HeadlessChromium#startLoggingNetwork} put on the
 * wire, read from its performance log: the MQTT CONNECT packets in its WebSocket frames,
 * and the URLs and headers of its HTTP requests.
 */
final class ChromiumNetworkLog {

	private final ChromeDriver browser;

	// Chromium hands out each log entry once: keep them, so that every question sees all
	// of them.
	private final List<JsonNode> events = new ArrayList<>();

	ChromiumNetworkLog(ChromeDriver browser) {
		this.browser = browser;
	}

	/** Every MQTT CONNECT sent so far, oldest first. */
	List<MqttConnect> mqttConnects() {
		List<MqttConnect> connects = new ArrayList<>();
		for (JsonNode event : events("Network.webSocketFrameSent")) {
			JsonNode frame = event.path("params").path("response");
			// Opcode 2: a binary frame, its payload in base64. Paho sends each packet in
			// one frame.
			if (frame.path("opcode").asInt() == 2) {
				decodeConnect(Base64.getDecoder().decode(frame.path("payloadData").asString()))
					.ifPresent(connects::add);
			}
		}
		return connects;
	}

	/**
	 * The value of header {@code name} on each request so far to {@code url} with
	 * {@code method}.
	 */
	List<Optional<String>> requestHeader(String method, String url, String name) {
		List<Optional<String>> values = new ArrayList<>();
		for (JsonNode event : events("Network.requestWillBeSent")) {
			JsonNode request = event.path("params").path("request");
			if (request.path("method").asString().equals(method) && request.path("url").asString().equals(url)) {
				values.add(request.path("headers")
					.properties()
					.stream()
					.filter((header) -> header.getKey().equalsIgnoreCase(name))
					.map((header) -> header.getValue().asString())
					.findFirst());
			}
		}
		return values;
	}

	/** The URL of each request so far that starts with {@code prefix}, oldest first. */
	List<String> requestUrls(String prefix) {
		return events("Network.requestWillBeSent").stream()
			.map((event) -> event.path("params").path("request").path("url").asString())
			.filter((url) -> url.startsWith(prefix))
			.toList();
	}

	private List<JsonNode> events(String method) {
		for (LogEntry entry : this.browser.manage().logs().get(LogType.PERFORMANCE)) {
			this.events.add(JsonMapper.shared().readTree(entry.getMessage()).path("message"));
		}
		return this.events.stream().filter((event) -> event.path("method").asString().equals(method)).toList();
	}

	private static Optional<MqttConnect> decodeConnect(byte[] frame) {
		EmbeddedChannel channel = new EmbeddedChannel(new MqttDecoder());
		try {
			channel.writeInbound(Unpooled.wrappedBuffer(frame));
			Object message = channel.readInbound();
			if (message instanceof MqttConnectMessage connect && connect.decoderResult().isSuccess()) {
				MqttConnectPayload payload = connect.payload();
				byte[] password = payload.passwordInBytes();
				return Optional.of(new MqttConnect(payload.clientIdentifier(), payload.userName(),
						(password != null) ? new String(password, StandardCharsets.UTF_8) : null));
			}
			return Optional.empty();
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	/**
	 * An MQTT CONNECT as the browser sent it; user name and password are {@code null}
	 * when absent.
	 */
	record MqttConnect(String clientId, String userName, String password) {
	}

}
