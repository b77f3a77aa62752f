/**
 * The relay: the two browser endpoints (the relay listener and the web server's /mqtt),
 * the broker channel they share and the gate that checks every MQTT packet on it.
 */
@NullMarked
package io.herald.relay;

import org.jspecify.annotations.NullMarked;
