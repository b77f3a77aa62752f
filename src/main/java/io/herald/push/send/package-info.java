/**
 * Web Push sending: message encryption (RFC 8291), VAPID (RFC 8292) and delivery to push
 * services (RFC 8030).
 */
@NullMarked
package io.herald.push.send;

import org.jspecify.annotations.NullMarked;
