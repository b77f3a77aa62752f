package io.herald.broker;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * How Herald's I/O threads wait for and move bytes: Linux's io_uring or epoll through Netty's
 * native transports, or the JDK's NIO anywhere.
 */
public enum IoTransport {

	/** Epoll where its native library loads, NIO elsewhere. */
	AUTO {

		@Override
		IoTransport resolve() {
			return EPOLL.available() ? EPOLL : NIO;
		}

	},

	/**
	 * Linux io_uring (kernel 5.14 or later, where not disabled): in the benchmark a little less
	 * CPU per delivery than epoll, but several times the memory per idle connection, as every
	 * connection keeps a read buffer posted to the kernel.
	 */
	IO_URING {

		@Override
		boolean available() {
			return IoUring.isAvailable();
		}

		@Override
		Throwable unavailabilityCause() {
			return IoUring.unavailabilityCause();
		}

		@Override
		IoHandlerFactory handlerFactory() {
			return IoUringIoHandler.newFactory();
		}

		@Override
		Class<? extends SocketChannel> socketChannel() {
			return IoUringSocketChannel.class;
		}

		@Override
		Class<? extends ServerChannel> serverChannel() {
			return IoUringServerSocketChannel.class;
		}

	},

	/** Linux epoll. */
	EPOLL {

		@Override
		boolean available() {
			return Epoll.isAvailable();
		}

		@Override
		Throwable unavailabilityCause() {
			return Epoll.unavailabilityCause();
		}

		@Override
		IoHandlerFactory handlerFactory() {
			return EpollIoHandler.newFactory();
		}

		@Override
		Class<? extends SocketChannel> socketChannel() {
			return EpollSocketChannel.class;
		}

		@Override
		Class<? extends ServerChannel> serverChannel() {
			return EpollServerSocketChannel.class;
		}

	},

	/** The JDK's non-blocking sockets: every platform. */
	NIO {

		@Override
		IoHandlerFactory handlerFactory() {
			return NioIoHandler.newFactory();
		}

		@Override
		Class<? extends SocketChannel> socketChannel() {
			return NioSocketChannel.class;
		}

		@Override
		Class<? extends ServerChannel> serverChannel() {
			return NioServerSocketChannel.class;
		}

	};

	/** The transport to use: this one, or for {@link #AUTO} the best available. */
	IoTransport resolve() {
		if (!available()) {
			throw new IllegalStateException("herald.broker.io-transport=" + name().toLowerCase().replace('_', '-')
					+ " is not available here: " + unavailabilityCause());
		}
		return this;
	}

	boolean available() {
		return true;
	}

	Throwable unavailabilityCause() {
		return null;
	}

	IoHandlerFactory handlerFactory() {
		throw new UnsupportedOperationException();
	}

	Class<? extends SocketChannel> socketChannel() {
		throw new UnsupportedOperationException();
	}

	Class<? extends ServerChannel> serverChannel() {
		throw new UnsupportedOperationException();
	}

}
