/**
 * MQTT wire logic that knows no transport: topic names, topic filters and how they
 * relate.
 */
@NullMarked
package io.herald.mqtt;

import org.jspecify.annotations.NullMarked;
