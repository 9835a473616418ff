import NIOCore
import NIOPosix
import Synchronization

/// A loopback TCP proxy in front of the database, so a test can take "the server" away (every connection reset,
/// new ones refused) and bring it back on the same port, without disturbing other tests using the real server.
final class TCPProxy: Sendable {
    let targetHost: String
    let targetPort: Int
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let state = Mutex<(listener: (any Channel)?, port: Int, open: [any Channel])>((nil, 0, []))

    init(targetHost: String, targetPort: Int) {
        self.targetHost = targetHost
        self.targetPort = targetPort
    }

    /// The port clients connect to (fixed after the first ``start()``).
    var port: Int { state.withLock { $0.port } }

    /// Starts listening (on a free port the first time, on the same port afterwards).
    func start() async throws {
        let port = state.withLock { $0.port }
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Nothing is read from a client until its relay to the target is in place.
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { inbound in self.connect(inbound) }
            .bind(host: "127.0.0.1", port: port)
            .get()
        state.withLock {
            $0.listener = listener
            $0.port = listener.localAddress?.port ?? port
        }
    }

    /// Stops listening and resets every connection, like a server that went away.
    func stop() async throws {
        let (listener, open) = state.withLock { current in
            let taken = (current.listener, current.open)
            current.listener = nil
            current.open = []
            return taken
        }
        try await listener?.close()
        for channel in open { try? await channel.close() }
    }

    func shutdown() async throws {
        try await stop()
        try await group.shutdownGracefully()
    }

    private func connect(_ inbound: any Channel) -> EventLoopFuture<Void> {
        track(inbound)
        return ClientBootstrap(group: inbound.eventLoop)
            .connect(host: targetHost, port: targetPort)
            .flatMap { outbound in
                self.track(outbound)
                let (toTarget, toClient) = Relay.pair()
                toTarget.peer = outbound
                toClient.peer = inbound
                return inbound.pipeline.addHandler(toTarget).and(outbound.pipeline.addHandler(toClient)).flatMap { _ in
                    inbound.setOption(.autoRead, value: true)
                }
            }
    }

    private func track(_ channel: any Channel) {
        state.withLock { $0.open.append(channel) }
    }
}

/// Forwards what one side reads to the other side; closes the other side when one closes.
private final class Relay: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    var peer: (any Channel)?

    static func pair() -> (Relay, Relay) { (Relay(), Relay()) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peer?.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
