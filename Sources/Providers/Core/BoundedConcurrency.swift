/// Runs `body` over `inputs` with at most `limit` child tasks alive at once, returning results in
/// input order. Work for later inputs (e.g. encoding images) only starts when a slot frees up, so
/// memory stays bounded however long the input list is.
func boundedConcurrentMap<Input: Sendable, Output: Sendable>(
    _ inputs: [Input], limit: Int, _ body: @escaping @Sendable (Input) async -> Output
) async -> [Output] {
    guard !inputs.isEmpty else { return [] }
    return await withTaskGroup(of: (Int, Output).self) { group in
        var results = [Output?](repeating: nil, count: inputs.count)
        var next = 0
        for _ in 0..<min(max(1, limit), inputs.count) {
            let index = next
            group.addTask { (index, await body(inputs[index])) }
            next += 1
        }
        while let (index, output) = await group.next() {
            results[index] = output
            if next < inputs.count {
                let index = next
                group.addTask { (index, await body(inputs[index])) }
                next += 1
            }
        }
        return results.compactMap { $0 }
    }
}
