package io.herald.feed;

import java.time.Instant;

/**
 * A message the feed received from the broker.
 *
 * @param id position in the history, increasing by one for each message received
 * @param topic the topic it was published to
 * @param payload its payload, decoded as UTF-8
 * @param qos the QoS it was delivered with
 * @param retained whether the broker delivered it as a retained message
 * @param receivedAt when Herald received it
 */
record NewsItem(long id, String topic, String payload, int qos, boolean retained, Instant receivedAt) {
}
