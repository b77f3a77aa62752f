package io.herald.relay;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * A connection's failure is logged at WARN only when it is not the network's doing.
 */
class FailuresTests {

	private final Logger logger = mock(Logger.class);

	@Test
	void networkFailuresAreTheEverydayEndOfAConnection() {
		assertThat(Failures.fromNetwork(new IOException("Connection reset by peer"))).isTrue();
		assertThat(Failures.fromNetwork(new ClosedChannelException())).isTrue();
		assertThat(Failures.fromNetwork(new DecoderException(new javax.net.ssl.SSLHandshakeException("bad")))).isTrue();
	}

	@Test
	void anythingElseIsACloseHeraldDidNotMean() {
		assertThat(Failures.fromNetwork(new IllegalStateException(
				"The remote endpoint was in state [BINARY_FULL_WRITING] which is an invalid state for called method")))
			.isFalse();
		assertThat(Failures.fromNetwork(new NullPointerException())).isFalse();
	}

	@Test
	void networkFailureIsLoggedAtDebug() {
		IOException failure = new IOException("Broken pipe");
		Failures.log(this.logger, "c1", "Browser connection failed", failure);
		verify(this.logger).debug(anyString(), eq("c1"), eq("Browser connection failed"), eq(failure.toString()));
		verify(this.logger, never()).warn(anyString(), any(Object[].class));
	}

	@Test
	void otherFailureIsLoggedAtWarnWithItsStackTrace() {
		IllegalStateException failure = new IllegalStateException("invalid state");
		Failures.log(this.logger, "c1", "Send to browser failed", failure);
		verify(this.logger).warn(contains("did not mean to close"), eq("c1"), eq("Send to browser failed"),
				eq(failure));
	}

}
