package io.herald.broker;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a taken embedded-broker port into one start-up line naming the property to
 * change.
 */
class EmbeddedBrokerPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<EmbeddedBrokerPortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedBrokerPortInUseException cause) {
		return new FailureAnalysis(
				"The embedded MQTT broker could not listen on 127.0.0.1:" + cause.getPort()
						+ " because another process is using that port.",
				"Set herald.broker.embedded-port to a free port (0 picks one), or stop the other process, "
						+ "or set herald.broker.embedded=false and herald.broker.url to use that broker.",
				cause);
	}

}
