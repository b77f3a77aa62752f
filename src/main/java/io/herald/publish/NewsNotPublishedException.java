package io.herald.publish;

import java.util.List;

/**
 * The broker did not accept a message in time: it is unreachable, dropped the connection,
 * or did not acknowledge within {@code herald.publish.timeout}.
 */
class NewsNotPublishedException extends RuntimeException {

	private final List<NewsReceipt> accepted;

	NewsNotPublishedException(String reason, Throwable cause) {
		this(reason, List.of(), cause);
	}

	NewsNotPublishedException(String reason, List<NewsReceipt> accepted, Throwable cause) {
		super(reason, cause);
		this.accepted = List.copyOf(accepted);
	}

	/** The messages of a batch that the broker accepted before the failure, in order. */
	List<NewsReceipt> accepted() {
		return this.accepted;
	}

}
