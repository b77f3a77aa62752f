/**
 * The test page: a browser MQTT client on Herald's own relay, served with Thymeleaf.
 */
@NullMarked
package io.herald.page;

import org.jspecify.annotations.NullMarked;
