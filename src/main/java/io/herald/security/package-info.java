/**
 * Who may do what: tokens, identities and the topic rights they carry.
 */
@NullMarked
package io.herald.security;

import org.jspecify.annotations.NullMarked;
