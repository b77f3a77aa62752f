/**
 * Web Push: the VAPID key pair, the browsers' push subscriptions (REST API, database,
 * in-memory filter index) and the shared MQTT subscription that hands each message to the
 * sender.
 */
@NullMarked
package io.herald.push;

import org.jspecify.annotations.NullMarked;
