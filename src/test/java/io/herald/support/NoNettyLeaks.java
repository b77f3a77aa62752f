package io.herald.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails the test class if Netty's leak detector reports a buffer dropped unreleased while
 * it ran.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(NoNettyLeaks.Check.class)
public @interface NoNettyLeaks {

	/** Captures the leak reports for the class and asserts none came. */
	final class Check implements BeforeAllCallback, AfterAllCallback {

		private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Check.class);

		@Override
		public void beforeAll(ExtensionContext context) {
			context.getStore(NAMESPACE).put(context.getRequiredTestClass(), NettyLeakLog.capture());
		}

		@Override
		public void afterAll(ExtensionContext context) throws InterruptedException {
			NettyLeakLog leaks = context.getStore(NAMESPACE).remove(context.getRequiredTestClass(), NettyLeakLog.class);
			try {
				assertThat(leaks.collect()).as("Netty buffers dropped unreleased").isEmpty();
			}
			finally {
				leaks.close();
			}
		}

	}

}
