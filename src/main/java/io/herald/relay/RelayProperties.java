package io.herald.relay;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the WebSocket relay accepts browsers and talks to the broker on their behalf.
 *
 * @param path the WebSocket endpoint path
 * @param maxFrameSize the largest WebSocket message accepted from a browser; larger ones close
 * the connection with 1009
 * @param bufferSize the size of one relayed chunk in each direction
 * @param socketBufferSize the size of each of Tomcat's per-connection socket and WebSocket
 * buffers
 * @param sendTimeout how long a browser may leave a relayed chunk unread before it is
 * disconnected ({@code 0} waits forever)
 * @param allowedOrigins origins allowed to open the WebSocket ({@code *} for any)
 */
@Validated
@ConfigurationProperties("herald.relay")
public record RelayProperties(
		@DefaultValue("/mqtt") @Pattern(regexp = "/.*") String path,
		@DefaultValue("256KB") @NotNull DataSize maxFrameSize,
		@DefaultValue("8KB") @NotNull DataSize bufferSize,
		@DefaultValue("4KB") @NotNull DataSize socketBufferSize,
		@DefaultValue("60s") @NotNull Duration sendTimeout,
		@DefaultValue("*") String[] allowedOrigins) {

	public RelayProperties {
		if (bufferSize != null && bufferSize.toBytes() < 512) {
			throw new IllegalArgumentException("herald.relay.buffer-size must be at least 512B");
		}
		if (socketBufferSize != null && socketBufferSize.toBytes() < 1024) {
			throw new IllegalArgumentException("herald.relay.socket-buffer-size must be at least 1KB");
		}
	}

}
