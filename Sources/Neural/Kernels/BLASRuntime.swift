import CBLAS
import Foundation

/// Makes sure OpenBLAS runs its fast kernels on this CPU.
///
/// Debian's OpenBLAS 0.3.21 picks its kernels at load time from the CPU model. It does not know
/// recent Xeons (Sapphire Rapids, as on these machines) and falls back to its "Prescott" (SSE3)
/// kernels: sgemm then reaches 30–60 GFLOP/s instead of 125–135 with its AVX-512 ("SkylakeX")
/// kernels. When that happened, and the CPU does have the instructions, `configure()` switches
/// OpenBLAS to the right kernels the way OpenBLAS itself does when `OPENBLAS_CORETYPE` is set: it
/// sets that variable and re-runs OpenBLAS's own kernel selection (`gotoblas_dynamic_init`).
/// A `OPENBLAS_CORETYPE` set by the user is left alone.
///
/// It also makes OpenBLAS single-threaded (unless `OPENBLAS_NUM_THREADS` is set): the kernels
/// parallelise themselves instead (`Linear` splits large products by columns, attention and
/// element-wise passes by rows or heads). OpenBLAS's own threads cost a hand-off per call, which
/// for the few-token batches of a search query made a MiniLM forward pass 2–3× slower than one
/// thread; split by the caller, large products keep both cores.
public enum BLASRuntime {
    /// The kernel family OpenBLAS uses (e.g. `SkylakeX`, `Haswell`, `Prescott`).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// Runs the check once per process; cheap afterwards. Called by the kernels before their first
    /// BLAS call; call it at start-up to settle it before other threads use BLAS.
    public static func configure() {
        _ = configured
    }

    private static let configured: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if environment["OPENBLAS_NUM_THREADS"] == nil, environment["OMP_NUM_THREADS"] == nil {
            openblas_set_num_threads(1)
        }
        guard environment["OPENBLAS_CORETYPE"] == nil, ["Prescott", "Unknown", "Katmai"].contains(coreName),
              let target = preferredCore(flags: cpuFlags())
        else { return false }
        typealias Hook = @convention(c) () -> Void
        guard let handle = dlopen(nil, RTLD_NOW),
              let quit = dlsym(handle, "gotoblas_dynamic_quit"), let initialise = dlsym(handle, "gotoblas_dynamic_init")
        else { return false }
        setenv("OPENBLAS_CORETYPE", target, 1)
        unsafeBitCast(quit, to: Hook.self)()
        unsafeBitCast(initialise, to: Hook.self)()
        return true
    }()

    /// The best OpenBLAS kernel family for these CPU flags, if better than the SSE3 fallback.
    static func preferredCore(flags: Set<String>) -> String? {
        if flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The `flags` line of /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
