// Integer dot-product kernels (int8 and 4-bit) for the embedded store's quantised scan (VectorStore, ExactSearch).
#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[r] = sum_i codes[r * stride + i] * query[i] for r in [0, rows), exact in 32-bit integers.
///
/// `stride` is a multiple of 64 and the padding components of every row and of `query` are zero.
/// `row_sums[r]` is sum_i codes[r * stride + i] (the AVX-512 VNNI path multiplies unsigned by signed bytes and
/// corrects with it). Codes lie in [-127, 127]. Uses AVX-512 VNNI or AVX2 when the CPU has them.
void a3d_int8_dot_rows(const int8_t *codes, size_t rows, size_t stride, const int8_t *query,
                       const int32_t *row_sums, int32_t *out);

/// out[j] = codes of row `row_indices[j]` · query for j in [0, count): the same products for selected rows only
/// (a selective filter reads just the rows it admits).
void a3d_int8_dot_selected_rows(const int8_t *codes, const int32_t *row_indices, size_t count, size_t stride,
                                const int8_t *query, const int32_t *row_sums, int32_t *out);

/// The plain C loop the fast paths are tested against; same contract as `a3d_int8_dot_rows`.
void a3d_int8_dot_rows_reference(const int8_t *codes, size_t rows, size_t stride, const int8_t *query,
                                 int32_t *out);

/// out[r] = sum_i n_i * query[i] over the 4-bit codes n_i in [0, 15] of row r, for r in [0, rows): the first,
/// half-size tier of the scan.
///
/// A row is `stride` bytes (a multiple of 64); byte j of its 64-byte group g holds component 128g + j in the low
/// nibble and component 128g + 64 + j in the high nibble, so `query` has 2 * `stride` components (padding zero).
/// Query components lie in [-127, 127]. Uses AVX-512 VNNI or AVX2 when the CPU has them.
void a3d_nibble_dot_rows(const uint8_t *codes, size_t rows, size_t stride, const int8_t *query, int32_t *out);

/// The plain C loop `a3d_nibble_dot_rows` is tested against; same contract.
void a3d_nibble_dot_rows_reference(const uint8_t *codes, size_t rows, size_t stride, const int8_t *query,
                                   int32_t *out);

/// Name of the path `a3d_int8_dot_rows` takes on this CPU: "avx512vnni", "avx2" or "portable".
const char *a3d_int8_kernel_name(void);

#ifdef __cplusplus
}
#endif

#endif
