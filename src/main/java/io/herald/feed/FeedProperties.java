package io.herald.feed;

import java.time.Duration;
import java.util.List;

import io.herald.mqtt.TopicFilter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What Herald follows on the broker itself, and how much of it it keeps.
 *
 * @param topics topic filters the feed subscribes to, at QoS 1
 * @param historySize how many of the newest received messages are kept in memory
 * @param historyBytes the most memory the kept messages may take (their text counted at
 * two bytes a character, plus 128 bytes each); the oldest go first when it is reached
 * @param maxReconnectDelay the longest pause between two reconnection attempts after the
 * broker went away (the pause doubles from one second up to this)
 * @param sseHeartbeat how often an idle Server-Sent Events stream gets a comment line, so
 * that proxies keep it open and a vanished client is noticed
 * @param sseQueue how many events a stream may fall behind before it is closed (its
 * client reconnects with Last-Event-ID and is replayed what the history still holds)
 * @param sseQueueBytes the most bytes of events a stream may fall behind before it is
 * closed, however few they are
 * @param sseRetry the reconnection delay streams ask EventSource for
 * @param sseMaxStreams the most streams open at once; beyond, 503
 */
@Validated
@ConfigurationProperties("herald.feed")
public record FeedProperties(@DefaultValue("/news/#") @NotEmpty List<String> topics,
		@DefaultValue("1000") @Min(1) @Max(1_000_000) int historySize,
		@DefaultValue("16MB") @NotNull DataSize historyBytes, @DefaultValue("30s") @NotNull Duration maxReconnectDelay,
		@DefaultValue("15s") @NotNull Duration sseHeartbeat, @DefaultValue("1000") @Min(1) int sseQueue,
		@DefaultValue("4MB") @NotNull DataSize sseQueueBytes, @DefaultValue("5s") @NotNull Duration sseRetry,
		@DefaultValue("10000") @Min(1) int sseMaxStreams) {

	public FeedProperties {
		TopicFilter.checkSetting("herald.feed.topics", topics);
		if (historyBytes != null && historyBytes.toBytes() < 1024) {
			throw new IllegalArgumentException("herald.feed.history-bytes must be at least 1KB");
		}
		if (maxReconnectDelay != null && maxReconnectDelay.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("herald.feed.max-reconnect-delay must be at least 1s");
		}
		if (sseQueueBytes != null && sseQueueBytes.toBytes() < 1024) {
			throw new IllegalArgumentException("herald.feed.sse-queue-bytes must be at least 1KB");
		}
		if (sseHeartbeat != null && sseHeartbeat.compareTo(Duration.ofMillis(100)) < 0) {
			throw new IllegalArgumentException("herald.feed.sse-heartbeat must be at least 100ms");
		}
	}

}
