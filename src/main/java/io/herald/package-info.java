/**
 * Herald: an MQTT over WebSocket push gateway in front of an MQTT broker, as one Spring
 * Boot application.
 */
@NullMarked
package io.herald;

import org.jspecify.annotations.NullMarked;
