package io.herald.relay;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The limits and broker credentials every {@link MqttGuard} applies.
 *
 * @param maxPacketSize the largest packet held whole (CONNECT, SUBSCRIBE, UNSUBSCRIBE, a
 * PUBLISH's header)
 * @param connectTimeout how long a browser has to send its CONNECT
 * @param maxSubscriptions the most topic filters one connection holds
 * @param maxPublishRate the messages per second one connection may publish, on average
 * @param publishBurst the messages it may publish at once
 * @param brokerUsername the user name the broker sees, or {@code null} for none
 * @param brokerPassword the password the broker sees, or {@code null} for none
 */
record GuardSettings(long maxPacketSize, Duration connectTimeout, int maxSubscriptions, int maxPublishRate,
		int publishBurst, @Nullable String brokerUsername, @Nullable String brokerPassword) {

}
