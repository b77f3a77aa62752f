package io.herald.feed;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A message the feed received from the broker.
 *
 * @param sequence position in this history, increasing by one for each message received
 * @param id the history id clients see: this history's epoch and the sequence
 * ({@code mh2x4k1c-42}), so that an id from before a restart is never mistaken for one
 * after it
 * @param topic the topic it was published to
 * @param payload its payload, decoded as UTF-8
 * @param qos the QoS it was delivered with
 * @param retained whether the broker delivered it as a retained message
 * @param receivedAt when Herald received it
 */
record NewsItem(@JsonIgnore long sequence, String id, String topic, String payload, int qos, boolean retained,
		Instant receivedAt) {
}
