package io.herald.page;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the test page's service worker at the root of the site, so that its scope is the
 * whole page and it receives the page's Web Push messages.
 */
@RestController
class PushWorkerController {

	/** Where browsers fetch the worker; its directory is the widest scope it may take. */
	static final String PATH = "/push-worker.js";

	private static final Resource WORKER = new ClassPathResource("static/app/push-worker.js");

	private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

	/**
	 * The worker, revalidated on every update check so that a new Herald's worker
	 * replaces the old one.
	 */
	@GetMapping(PATH)
	ResponseEntity<Resource> worker() {
		return ResponseEntity.ok().contentType(JAVASCRIPT).cacheControl(CacheControl.noCache()).body(WORKER);
	}

}
