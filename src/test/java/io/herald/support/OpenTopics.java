package io.herald.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * Anonymous browsers may subscribe and publish to every topic: for tests of the relay
 * itself, which Herald must then carry exactly as the broker alone would.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestPropertySource(properties = { "herald.security.anonymous.subscribe=#", "herald.security.anonymous.publish=#" })
public @interface OpenTopics {

}
