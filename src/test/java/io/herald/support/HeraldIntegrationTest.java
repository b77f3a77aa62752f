package io.herald.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * Herald on a random port, with the embedded broker on a free port, generated
 * certificates and keys kept in {@code target/}, an in-memory database of its own, and
 * tokens signed with {@link TestTokens#SECRET}. Add {@code @TestPropertySource} for
 * anything else.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "herald.broker.embedded-port=0",
		"herald.relay.listener.port=0", "herald.tls.self-signed-directory=target/tls",
		"herald.security.jwt.secret=" + TestTokens.SECRET, "herald.security.data-directory=target/security",
		// A database of its own for each context (a new name at each start), never
		// ./data.
		"spring.datasource.url=jdbc:h2:mem:herald-${random.uuid}" + TestDatabase.H2_SETTINGS + ";DB_CLOSE_DELAY=-1",
		"herald.push.vapid.key-file=" + TestDatabase.VAPID_KEY_FILE })
public @interface HeraldIntegrationTest {

}
