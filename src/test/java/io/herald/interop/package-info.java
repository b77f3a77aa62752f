/**
 * Interoperability tests: the clients of the setup Herald replaces, talking across it.
 */
@NullMarked
package io.herald.interop;

import org.jspecify.annotations.NullMarked;
