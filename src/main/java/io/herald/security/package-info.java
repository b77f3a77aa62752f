/**
 * Tokens, identities and topic rights: who may publish and subscribe to what, over REST and
 * the relay alike.
 */
@NullMarked
package io.herald.security;

import org.jspecify.annotations.NullMarked;
