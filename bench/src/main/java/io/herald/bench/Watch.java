package io.herald.bench;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples the server processes' thread count twice a second while a scenario runs, keeping the
 * highest count seen.
 */
final class Watch implements AutoCloseable {

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "bench-watch");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicInteger maxThreads = new AtomicInteger();

	Watch(List<Long> pids) {
		this.sampler.scheduleAtFixedRate(() -> this.maxThreads.accumulateAndGet(ProcStats.sample(pids).threads(),
				Math::max), 0, 500, TimeUnit.MILLISECONDS);
	}

	int maxThreads() {
		return this.maxThreads.get();
	}

	@Override
	public void close() {
		this.sampler.shutdownNow();
	}

}
