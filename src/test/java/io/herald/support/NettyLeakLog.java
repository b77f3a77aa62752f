package io.herald.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.LoggerFactory;

/**
 * Collects the leak reports of Netty's {@link ResourceLeakDetector} (set to
 * {@code paranoid} for the test run), so a test can assert that no buffer was dropped
 * without being released.
 */
public final class NettyLeakLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);

	private final List<String> leaks = new CopyOnWriteArrayList<>();

	private NettyLeakLog() {
	}

	public static NettyLeakLog capture() {
		NettyLeakLog log = new NettyLeakLog();
		log.setContext(log.logger.getLoggerContext());
		log.start();
		log.logger.addAppender(log);
		return log;
	}

	/**
	 * Let the garbage collector find buffers that were dropped unreleased, and have Netty
	 * report them (it reports while tracking new buffers).
	 * @return the leak reports collected so far
	 */
	public List<String> collect() throws InterruptedException {
		for (int round = 0; round < 5; round++) {
			System.gc();
			Thread.sleep(100);
			for (int i = 0; i < 100; i++) {
				ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
				probe.release();
			}
		}
		return List.copyOf(this.leaks);
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (event.getFormattedMessage().contains("LEAK")) {
			this.leaks.add(event.getFormattedMessage());
		}
	}

	@Override
	public void close() {
		this.logger.detachAppender(this);
		stop();
	}

}
