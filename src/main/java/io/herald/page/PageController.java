package io.herald.page;

import io.herald.relay.RelayProperties;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the test page: a browser MQTT client on Herald's own relay, with forms to subscribe and
 * to publish over REST.
 */
@Controller
class PageController {

	/** The subscription the page offers first. */
	static final String DEFAULT_FILTER = "/news/+/sport";

	/** How many stored messages the page shows on load. */
	static final int HISTORY_LIMIT = 20;

	private final RelayProperties relay;

	PageController(RelayProperties relay) {
		this.relay = relay;
	}

	@GetMapping("/")
	String page(Model model) {
		model.addAttribute("relayPath", this.relay.path());
		model.addAttribute("defaultFilter", DEFAULT_FILTER);
		model.addAttribute("historyLimit", HISTORY_LIMIT);
		return "index";
	}

}
