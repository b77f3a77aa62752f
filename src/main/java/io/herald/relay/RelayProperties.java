package io.herald.relay;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the WebSocket relay accepts browsers and talks to the broker on their behalf.
 *
 * @param path the WebSocket endpoint path
 * @param maxFrameSize the largest WebSocket message accepted from a browser; larger ones
 * close the connection with 1009
 * @param bufferSize the size of one relayed chunk in each direction
 * @param socketBufferSize the size of each of Tomcat's per-connection socket and
 * WebSocket buffers
 * @param sendTimeout how long a browser may leave a relayed chunk unread before it is
 * disconnected (0 waits forever)
 * @param allowedOrigins origin patterns allowed to open the WebSocket (* for any); by
 * default the host the handshake was addressed to, on any port, and https://localhost:*
 * @param listener Herald's own WebSocket listener for browsers, beside the web server
 * @param connectTimeout how long a browser has to send its MQTT CONNECT after the
 * handshake
 * @param maxSubscriptions the most topic filters one connection may hold; more get a
 * failure in their SUBACK slot
 * @param maxPublishRate the messages per second one connection may publish on average;
 * over it, the connection is closed with 1008
 * @param publishBurst the messages one connection may publish at once within that rate
 * @param maxConnectionsPerAddress the most connections one client address may hold on
 * both endpoints together (0: no limit); beyond it, handshakes are answered 429
 * @param trustedProxies addresses or CIDR ranges of the proxies whose X-Forwarded-For
 * names the client; from anyone else the header is ignored
 * @param pingInterval how often a WebSocket ping goes to each browser; one that sent
 * nothing back for two intervals is disconnected with 1011 (0: no pings)
 * @param drainDelay on shutdown, how long Herald refuses new WebSocket handshakes with
 * 503 (and reports itself unready) while its browsers stay connected, before it tells
 * them to go away with 1001: time for a load balancer to stop sending browsers here
 * @param web the web server's own endpoint
 */
@Validated
@ConfigurationProperties("herald.relay")
public record RelayProperties(@DefaultValue("/mqtt") @Pattern(regexp = "/.*") String path,
		@DefaultValue("256KB") @NotNull DataSize maxFrameSize, @DefaultValue("8KB") @NotNull DataSize bufferSize,
		@DefaultValue("4KB") @NotNull DataSize socketBufferSize, @DefaultValue("60s") @NotNull Duration sendTimeout,
		String @Nullable [] allowedOrigins, @DefaultValue @Valid Listener listener,
		@DefaultValue("10s") @NotNull Duration connectTimeout, @DefaultValue("100") @Min(1) int maxSubscriptions,
		@DefaultValue("100") @Min(1) int maxPublishRate, @DefaultValue("200") @Min(1) int publishBurst,
		@DefaultValue("0") @Min(0) int maxConnectionsPerAddress, @DefaultValue List<String> trustedProxies,
		@DefaultValue("30s") @NotNull Duration pingInterval, @DefaultValue("0s") @NotNull Duration drainDelay,
		@DefaultValue @Valid Web web) {

	public RelayProperties {
		if (bufferSize != null && bufferSize.toBytes() < 512) {
			throw new IllegalArgumentException("herald.relay.buffer-size must be at least 512B");
		}
		if (pingInterval != null && pingInterval.isNegative()) {
			throw new IllegalArgumentException("herald.relay.ping-interval must not be negative");
		}
		if (drainDelay != null && drainDelay.isNegative()) {
			throw new IllegalArgumentException("herald.relay.drain-delay must not be negative");
		}
		if (socketBufferSize != null && socketBufferSize.toBytes() < 1024) {
			throw new IllegalArgumentException("herald.relay.socket-buffer-size must be at least 1KB");
		}
	}

	/**
	 * The relay endpoint of the web server (Tomcat), beside the listener.
	 *
	 * @param maxConnections the most browsers the web server's endpoint holds at once; a
	 * handshake beyond them is answered 503. Each takes about 105 KB of heap there (TLS
	 * and WebSocket buffers, against some 6 KB on the listener): size the heap to it
	 */
	public record Web(@DefaultValue("2000") @Min(1) int maxConnections) {

	}

	/**
	 * The relay listener: the same endpoint ({@code path}, subprotocols, limits) served
	 * by Herald's own non-blocking server on a port of its own, where every browser's
	 * WebSocket and broker connection share one I/O thread. It serves TLS exactly when
	 * the web server does, with the same certificate.
	 *
	 * @param enabled whether to open the listener
	 * @param port the listener's port (0 picks a free one and logs it)
	 * @param address the address to bind (all interfaces when unset)
	 * @param maxConnections the most connections the listener holds at once; a handshake
	 * beyond them is answered 503 (each browser also holds a broker connection: allow two
	 * descriptors per browser in ulimit -n)
	 * @param handshakeTimeout how long a new connection has to complete its WebSocket
	 * handshake
	 * @param publicUrl the URL browsers reach the listener at, when it is published
	 * elsewhere (behind a load balancer); by default the test page uses the host it was
	 * loaded from and the listener's port
	 */
	public record Listener(@DefaultValue("true") boolean enabled, @DefaultValue("8444") @Min(0) @Max(65535) int port,
			String address, @DefaultValue("10000") @Min(1) int maxConnections,
			@DefaultValue("10s") @NotNull Duration handshakeTimeout, URI publicUrl) {

	}

}
