// Element-wise and short-sequence attention kernels for the Neural module's transformer layers.
//
// Each function runs an AVX-512 version when the CPU has AVX-512 F/DQ/BW/VL (chosen once per process) and
// a portable C version otherwise. Both use the same approximations (Approximations.h): exp by range
// reduction and a degree-7 polynomial, erf as a rational function; loops over them vectorise.
// NEURAL_SIMD=0 in the environment forces the portable versions.
#ifndef CNEURALKERNELS_H
#define CNEURALKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Activation kinds, in the order of Swift's `Activation` cases.
enum nk_activation { nk_gelu = 0, nk_gelu_tanh = 1, nk_quick_gelu = 2, nk_relu = 3 };

/// v[i] = activation(v[i]) for i in [0, count).
void nk_activate(float *v, size_t count, int activation);

/// For each of `rows` rows of `width` values: x += residual (when residual is not NULL), then
/// out = (x - mean) / sqrt(var + eps) * gamma + beta (biased variance). `x` keeps the sum; `out` may equal `x`.
void nk_add_layer_norm(float *x, const float *residual, float *out, size_t rows, size_t width,
                       const float *gamma, const float *beta, float eps);

/// Softmax of v[0..<count] in place, the maximum subtracted first.
void nk_softmax(float *v, size_t count);

/// One head of attention of `queries` query rows over `keys` key/value rows: o[t] = Σ_j softmax_j(q[t]·k[j]·scale)
/// v[j] over keys j < `keys` (j <= t when `causal`, for self-attention where queries == keys). q, k, v rows are
/// `head_dim` values, `in_stride` floats apart; o rows `out_stride` floats apart. `scratch` holds
/// nk_attention_scratch(keys, head_dim) floats.
void nk_attend_head(const float *q, const float *k, const float *v, size_t in_stride, float *o, size_t out_stride,
                    size_t queries, size_t keys, size_t head_dim, float scale, int causal, float *scratch);

/// Floats of scratch space nk_attend_head needs for `keys` keys.
size_t nk_attention_scratch(size_t keys, size_t head_dim);

/// The scalar exp and erf approximations every path uses (for tests against libm).
float nk_exp_approximation(float x);
float nk_erf_approximation(float x);

/// Name of the path taken on this CPU: "avx512" or "portable".
const char *nk_kernel_name(void);

#ifdef __cplusplus
}
#endif

#endif
