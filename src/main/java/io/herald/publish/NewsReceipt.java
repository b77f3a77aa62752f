package io.herald.publish;

import java.time.Instant;

/**
 * The answer to a published message: the broker accepted it.
 *
 * @param id an id Herald gave the message, for the client's records and Herald's logs
 * @param topic the topic it was published to
 * @param qos the QoS it was published with
 * @param retain whether it was published as retained
 * @param publishedAt when the broker's acknowledgement arrived
 */
record NewsReceipt(String id, String topic, int qos, boolean retain, Instant publishedAt) {
}
