/**
 * REST publishing: validated news published to the broker through Spring Integration's
 * MQTT outbound adapter.
 */
@NullMarked
package io.herald.publish;

import org.jspecify.annotations.NullMarked;
