import Foundation

/// A read-only memory map of a whole file, unmapped when the last reference goes away.
final class MappedFile: @unchecked Sendable {
    /// Start of the mapping (nil for an empty file).
    let base: UnsafeRawPointer?
    /// Size in bytes.
    let size: Int
    let path: String

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw NeuralError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw NeuralError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw NeuralError.cannotOpen(path: path, reason: "not a regular file")
        }
        size = Int(info.st_size)
        if size == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw NeuralError.cannotOpen(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
    }

    /// Tells the kernel that these bytes were copied out and need not stay resident: loading a
    /// model then peaks at about one copy of the weights instead of two. Pages are re-read from the
    /// file if touched again.
    func release(_ start: UnsafeRawPointer, byteCount: Int) {
        guard let base, byteCount > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (start - base) / page * page
        let end = min(size, ((start - base) + byteCount + page - 1) / page * page)
        guard end > first else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + first), end - first, MADV_DONTNEED)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }
}
