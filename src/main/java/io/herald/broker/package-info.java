/**
 * The broker: the embedded one, connections to an external one (with failover), and its
 * health.
 */
@NullMarked
package io.herald.broker;

import org.jspecify.annotations.NullMarked;
