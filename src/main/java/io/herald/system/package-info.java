/**
 * Shared infrastructure: TLS and the self-signed certificate.
 */
@NullMarked
package io.herald.system;

import org.jspecify.annotations.NullMarked;
