/// Fast kernels. Each has a naive twin in `Reference` that the tests compare it with.
///
/// Matrices are `[rows, columns]` views of `Tensor`s (see `Tensor.rows`). Activations are laid out
/// token-major: `[N, C]` with N tokens (all sequences of a batch, see `SequenceLayout`) and C channels.
public enum Ops {}
