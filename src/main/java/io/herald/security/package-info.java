/**
 * Who may do what: tokens, identities and the topic rights they carry, over REST and the
 * relay alike.
 */
@NullMarked
package io.herald.security;

import org.jspecify.annotations.NullMarked;
