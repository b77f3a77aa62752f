package io.herald.relay;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a taken relay listener port into one start-up line naming the property to change.
 */
class RelayListenerPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<RelayListenerPortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RelayListenerPortInUseException cause) {
		return new FailureAnalysis(
				"The relay listener could not listen on " + cause.getAddress()
						+ " because another process is using that port.",
				"Set herald.relay.listener.port to a free port (0 picks one), or stop the other process, "
						+ "or set herald.relay.listener.enabled=false to serve browsers on the web server's /mqtt only.",
				cause);
	}

}
