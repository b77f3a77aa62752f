/**
 * The feed: Herald's own subscription on the broker, its in-memory history and what reads
 * it.
 */
@NullMarked
package io.herald.feed;

import org.jspecify.annotations.NullMarked;
