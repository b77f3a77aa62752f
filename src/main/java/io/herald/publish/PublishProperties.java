package io.herald.publish;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the REST publish API.
 *
 * @param maxBatch the most messages one POST /api/news/batch may carry
 * @param maxPayload the largest payload of one message, in UTF-8 bytes
 * @param maxRequestSize the largest request body of a publish, single or batch, refused
 * before it is read when its length is declared and as soon as it is exceeded otherwise
 * @param timeout how long a message may take to be accepted by the broker (PUBACK for QoS
 * 1, PUBCOMP for QoS 2) before the request is answered 503
 * @param retryAfter what a 503 answer tells the client to wait in its Retry-After header
 */
@Validated
@ConfigurationProperties("herald.publish")
record PublishProperties(@DefaultValue("1000") @Min(1) @Max(100_000) int maxBatch,
		@DefaultValue("256KB") @NotNull DataSize maxPayload, @DefaultValue("4MB") @NotNull DataSize maxRequestSize,
		@DefaultValue("5s") @NotNull Duration timeout, @DefaultValue("5s") @NotNull Duration retryAfter) {

	/** MQTT's largest packet, which bounds any payload. */
	static final long MAX_MQTT_PAYLOAD = 268_435_455;

	PublishProperties {
		if (maxPayload != null && (maxPayload.toBytes() < 0 || maxPayload.toBytes() > MAX_MQTT_PAYLOAD)) {
			throw new IllegalArgumentException("herald.publish.max-payload must be between 0B and 256MB");
		}
		if (maxRequestSize != null && maxRequestSize.toBytes() <= 0) {
			throw new IllegalArgumentException("herald.publish.max-request-size must be positive");
		}
		if (timeout != null && timeout.compareTo(Duration.ofMillis(100)) < 0) {
			throw new IllegalArgumentException("herald.publish.timeout must be at least 100ms");
		}
		if (retryAfter != null && retryAfter.isNegative()) {
			throw new IllegalArgumentException("herald.publish.retry-after must not be negative");
		}
	}

}
