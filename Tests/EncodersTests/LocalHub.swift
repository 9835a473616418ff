import Foundation

@testable import Encoders

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 that speaks the part of the Hugging Face Hub API that
/// `HubClient` uses: a file listing and `resolve` downloads with `Range` support. It can cut a
/// download short once (to exercise resuming) and corrupt a file (to exercise checksums).
final class LocalHub: @unchecked Sendable {
    struct File {
        var path: String
        var content: Data
        var lfs: Bool
    }

    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var files: [File]
    private var cutOnce: Set<String>
    private var corrupt: Set<String>
    private(set) var rangeRequests = 0

    init(files: [File], cutOnce: Set<String> = [], corrupt: Set<String> = []) throws {
        self.files = files
        self.cutOnce = cutOnce
        self.corrupt = corrupt
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        socket = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.contains(Data("\r\n\r\n".utf8)) {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            request.append(buffer, count: n)
        }
        let head = String(decoding: request, as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let target = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let range = lines.first { $0.lowercased().hasPrefix("range: bytes=") }
            .flatMap { Int($0.dropFirst("range: bytes=".count).split(separator: "-").first ?? "") }
        if target.hasPrefix("/api/models/") {
            send(client, status: "200 OK", body: listing())
        } else if let file = lock.withLock({ files.first { target.hasSuffix("/resolve/c0ffee/" + $0.path) } }) {
            var content = file.content
            if lock.withLock({ corrupt.contains(file.path) }) { content[content.startIndex] ^= 0xFF }
            if let range, range < content.count {
                lock.withLock { rangeRequests += 1 }
                send(client, status: "206 Partial Content", body: content.subdata(in: range..<content.count),
                     extra: "Content-Range: bytes \(range)-\(content.count - 1)/\(content.count)\r\n")
            } else if lock.withLock({ cutOnce.remove(file.path) != nil }) {
                // Announce the whole body, send half, hang up: the client sees a failed transfer.
                send(client, status: "200 OK", body: content.prefix(content.count / 2), length: content.count)
            } else {
                send(client, status: "200 OK", body: content)
            }
        } else {
            send(client, status: "404 Not Found", body: Data("{}".utf8))
        }
    }

    private func listing() -> Data {
        let siblings: [[String: Any]] = lock.withLock { files }.map { file in
            var entry: [String: Any] = ["rfilename": file.path, "size": file.content.count]
            if file.lfs {
                var digest = Digest(.sha256)
                digest.update(file.content)
                entry["lfs"] = ["sha256": digest.finalize(), "size": file.content.count]
            } else {
                var digest = Digest(.sha1)
                digest.update(Array("blob \(file.content.count)\0".utf8))
                digest.update(file.content)
                entry["blobId"] = digest.finalize()
            }
            return entry
        }
        return (try? JSONSerialization.data(withJSONObject: ["sha": "c0ffee", "siblings": siblings])) ?? Data()
    }

    private func send(_ client: Int32, status: String, body: Data, length: Int? = nil, extra: String = "") {
        let header = "HTTP/1.1 \(status)\r\nContent-Length: \(length ?? body.count)\r\n\(extra)Connection: close\r\n\r\n"
        var bytes = Data(header.utf8)
        bytes.append(body)
        bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(client, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }
}
