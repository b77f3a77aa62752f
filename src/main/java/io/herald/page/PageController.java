package io.herald.page;

import java.net.URI;

import io.herald.relay.RelayListener;
import io.herald.relay.RelayProperties;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the test page: a browser MQTT client on Herald's own relay, with forms to
 * subscribe and to publish over REST.
 */
@Controller
class PageController {

	/** The subscription the page offers first. */
	static final String DEFAULT_FILTER = "/news/+/sport";

	/** How many stored messages the page shows on load. */
	static final int HISTORY_LIMIT = 20;

	private final RelayProperties relay;

	private final ObjectProvider<RelayListener> listener;

	PageController(RelayProperties relay, ObjectProvider<RelayListener> listener) {
		this.relay = relay;
		this.listener = listener;
	}

	@GetMapping("/")
	String page(Model model, HttpServletRequest request) {
		URI relayUrl = relayUrl(request);
		model.addAttribute("relayPath", this.relay.path());
		model.addAttribute("relayUrl", (relayUrl != null) ? relayUrl.toString() : "");
		model.addAttribute("connectSources", (relayUrl != null) ? "'self' " + origin(relayUrl) : "'self'");
		model.addAttribute("defaultFilter", DEFAULT_FILTER);
		model.addAttribute("historyLimit", HISTORY_LIMIT);
		return "index";
	}

	/**
	 * Where the page's MQTT client connects: the relay listener when it runs, on the host
	 * the page was loaded from; {@code null} for the web server's own endpoint, next to
	 * the page.
	 */
	private URI relayUrl(HttpServletRequest request) {
		RelayListener listener = this.listener.getIfAvailable();
		if (listener == null || !listener.isRunning()) {
			return null;
		}
		URI publicUrl = this.relay.listener().publicUrl();
		if (publicUrl != null) {
			return publicUrl;
		}
		String host = request.getServerName();
		if (host.contains(":")) {
			host = "[" + host + "]";
		}
		return URI
			.create((listener.secure() ? "wss" : "ws") + "://" + host + ":" + listener.port() + this.relay.path());
	}

	private static String origin(URI url) {
		return url.getScheme() + "://" + url.getRawAuthority();
	}

}
