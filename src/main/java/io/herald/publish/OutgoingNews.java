package io.herald.publish;

/**
 * A checked message, ready for the broker.
 *
 * @param topic the topic name
 * @param payload the payload bytes
 * @param qos 0, 1 or 2
 * @param retain whether the broker keeps it for later subscribers
 */
record OutgoingNews(String topic, byte[] payload, int qos, boolean retain) {
}
