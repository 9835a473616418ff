// Element-wise and short-sequence attention kernels for the Neural module's transformer layers.
//
// Each function runs an AVX-512 version when the CPU has AVX-512 F/DQ/BW/VL (chosen once per process) and
// a portable C version otherwise. Both use the same approximations (Approximations.h): exp by range
// reduction and a degree-7 polynomial, erf as a rational function; loops over them vectorise.
// NEURAL_SIMD=0 in the environment forces the portable versions.
#ifndef CNEURALKERNELS_H
#define CNEURALKERNELS_H

#include <stddef.h>
#include <stdint.h>

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

/// 1 when matrix products can run on AMX tiles here (x86-64 Linux, AMX-TILE/AMX-BF16/AVX512-BF16, and the
/// kernel granted this process the tile state), else 0. Asks for the tile state on the first call.
int nk_amx_available(void);

/// uint16 values (bf16) of a weight matrix of `depth` inputs and `width` outputs packed for nk_amx_multiply:
/// hi and lo parts, padded to whole 32 x 16 tiles (4 bytes per weight before padding).
size_t nk_amx_weights_count(size_t depth, size_t width);

/// Splits `weight` [width, depth] (row-major, Hugging Face's [out, in]) into bf16 hi + lo parts in tile layout.
void nk_amx_pack_weights(const float *weight, size_t depth, size_t width, uint16_t *out);

/// uint16 values of `rows` activation rows of `depth` values packed for nk_amx_multiply.
size_t nk_amx_inputs_count(size_t rows, size_t depth);

/// Splits x [rows, depth] into bf16 hi + lo parts in tile layout, for the blocks of 16 rows
/// [first_block, end_block) only (parts of a split call pack their own rows).
void nk_amx_pack_inputs(const float *x, size_t rows, size_t depth, uint16_t *out, size_t first_block,
                        size_t end_block);

/// y[r][c] = Σ_d x[r][d]·W[d][c] + bias[c] (+ y[r][c] when `accumulate`) for all rows r and the columns
/// c in [first_column, end_column), from packed operands; y rows have `width` values, bias may be NULL.
/// first_column must be a multiple of 16. Accurate to about 2^-16 of Σ|x·W| per output (bf16x3).
void nk_amx_multiply(const uint16_t *inputs, size_t rows, const uint16_t *weights, size_t depth, size_t width,
                     size_t first_column, size_t end_column, float *y, const float *bias, int accumulate);

/// Name of the path taken on this CPU: "avx512" or "portable".
const char *nk_kernel_name(void);

#ifdef __cplusplus
}
#endif

#endif
