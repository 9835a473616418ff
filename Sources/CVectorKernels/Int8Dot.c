// Integer dot products of int8 rows with one int8 query, dispatched once per process on the CPU's features.
#include "CVectorKernels.h"
#include "KernelPath.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

void a3d_int8_dot_rows_reference(const int8_t *codes, size_t rows, size_t stride, const int8_t *query,
                                 int32_t *out) {
    for (size_t r = 0; r < rows; r++) {
        const int8_t *row = codes + r * stride;
        int32_t sum = 0;
        for (size_t i = 0; i < stride; i++) sum += (int32_t)row[i] * (int32_t)query[i];
        out[r] = sum;
    }
}

static void dot_selected_portable(const int8_t *codes, const int32_t *row_indices, size_t count, size_t stride,
                                  const int8_t *query, int32_t *out) {
    for (size_t j = 0; j < count; j++)
        a3d_int8_dot_rows_reference(codes + (size_t)row_indices[j] * stride, 1, stride, query, out + j);
}

#if defined(__x86_64__)

// Rows ahead whose lines a selected-row scan requests while scoring the current one.
#define A3D_SELECTED_LOOKAHEAD 6

// VNNI multiplies unsigned by signed bytes: with u = query + 128 (in [1, 255]),
// sum u*c = sum query*c + 128 * sum c, so the row sum removes the bias exactly.
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void dot_rows_avx512vnni(const int8_t *codes, size_t rows, size_t stride, const int8_t *query,
                                const int32_t *row_sums, int32_t *out) {
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    size_t chunks = stride / 64;
    size_t r = 0;
    // Four rows at a time share each biased query load.
    for (; r + 4 <= rows; r += 4) {
        const int8_t *row = codes + r * stride;
        __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t c = 0; c < chunks; c++) {
            __m512i q = _mm512_xor_si512(_mm512_loadu_si512(query + c * 64), bias);
            a0 = _mm512_dpbusd_epi32(a0, q, _mm512_loadu_si512(row + c * 64));
            a1 = _mm512_dpbusd_epi32(a1, q, _mm512_loadu_si512(row + stride + c * 64));
            a2 = _mm512_dpbusd_epi32(a2, q, _mm512_loadu_si512(row + 2 * stride + c * 64));
            a3 = _mm512_dpbusd_epi32(a3, q, _mm512_loadu_si512(row + 3 * stride + c * 64));
        }
        out[r] = _mm512_reduce_add_epi32(a0) - 128 * row_sums[r];
        out[r + 1] = _mm512_reduce_add_epi32(a1) - 128 * row_sums[r + 1];
        out[r + 2] = _mm512_reduce_add_epi32(a2) - 128 * row_sums[r + 2];
        out[r + 3] = _mm512_reduce_add_epi32(a3) - 128 * row_sums[r + 3];
    }
    for (; r < rows; r++) {
        const int8_t *row = codes + r * stride;
        __m512i a = _mm512_setzero_si512();
        for (size_t c = 0; c < chunks; c++) {
            __m512i q = _mm512_xor_si512(_mm512_loadu_si512(query + c * 64), bias);
            a = _mm512_dpbusd_epi32(a, q, _mm512_loadu_si512(row + c * 64));
        }
        out[r] = _mm512_reduce_add_epi32(a) - 128 * row_sums[r];
    }
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void dot_selected_avx512vnni(const int8_t *codes, const int32_t *row_indices, size_t count, size_t stride,
                                    const int8_t *query, const int32_t *row_sums, int32_t *out) {
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    for (size_t j = 0; j < count; j++) {
        const int8_t *row = codes + (size_t)row_indices[j] * stride;
        // Selected rows are scattered, beyond any hardware prefetcher: ask for a later one's lines now.
        if (j + A3D_SELECTED_LOOKAHEAD < count) {
            const char *later = (const char *)(codes + (size_t)row_indices[j + A3D_SELECTED_LOOKAHEAD] * stride);
            for (size_t c = 0; c < stride; c += 64) _mm_prefetch(later + c, _MM_HINT_T0);
        }
        __m512i a = _mm512_setzero_si512();
        for (size_t c = 0; c < stride / 64; c++) {
            __m512i q = _mm512_xor_si512(_mm512_loadu_si512(query + c * 64), bias);
            a = _mm512_dpbusd_epi32(a, q, _mm512_loadu_si512(row + c * 64));
        }
        out[j] = _mm512_reduce_add_epi32(a) - 128 * row_sums[row_indices[j]];
    }
}

// AVX2: widen to 16 bits and multiply-add pairs into 32 bits (no saturation: |product pair| <= 2 * 127^2).
__attribute__((target("avx2")))
static void dot_rows_avx2(const int8_t *codes, size_t rows, size_t stride, const int8_t *query, int32_t *out) {
    for (size_t r = 0; r < rows; r++) {
        const int8_t *row = codes + r * stride;
        __m256i a = _mm256_setzero_si256();
        for (size_t i = 0; i < stride; i += 16) {
            __m256i x = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + i)));
            __m256i q = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(query + i)));
            a = _mm256_add_epi32(a, _mm256_madd_epi16(x, q));
        }
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
        out[r] = _mm_cvtsi128_si32(s);
    }
}

__attribute__((target("avx2")))
static void dot_selected_avx2(const int8_t *codes, const int32_t *row_indices, size_t count, size_t stride,
                              const int8_t *query, int32_t *out) {
    for (size_t j = 0; j < count; j++)
        dot_rows_avx2(codes + (size_t)row_indices[j] * stride, 1, stride, query, out + j);
}

static int selected_path = a3dPathUnknown;  // benign race: every thread computes the same value

int a3d_kernel_path(void) {
    if (selected_path == a3dPathUnknown) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vnni"))
            selected_path = a3dPathVNNI;
        else if (__builtin_cpu_supports("avx2"))
            selected_path = a3dPathAVX2;
        else
            selected_path = a3dPathPortable;
    }
    return selected_path;
}

void a3d_int8_dot_rows(const int8_t *codes, size_t rows, size_t stride, const int8_t *query,
                       const int32_t *row_sums, int32_t *out) {
    switch (a3d_kernel_path()) {
    case a3dPathVNNI: dot_rows_avx512vnni(codes, rows, stride, query, row_sums, out); return;
    case a3dPathAVX2: dot_rows_avx2(codes, rows, stride, query, out); return;
    default: a3d_int8_dot_rows_reference(codes, rows, stride, query, out); return;
    }
}

void a3d_int8_dot_selected_rows(const int8_t *codes, const int32_t *row_indices, size_t count, size_t stride,
                                const int8_t *query, const int32_t *row_sums, int32_t *out) {
    switch (a3d_kernel_path()) {
    case a3dPathVNNI: dot_selected_avx512vnni(codes, row_indices, count, stride, query, row_sums, out); return;
    case a3dPathAVX2: dot_selected_avx2(codes, row_indices, count, stride, query, out); return;
    default: dot_selected_portable(codes, row_indices, count, stride, query, out); return;
    }
}

const char *a3d_int8_kernel_name(void) {
    switch (a3d_kernel_path()) {
    case a3dPathVNNI: return "avx512vnni";
    case a3dPathAVX2: return "avx2";
    default: return "portable";
    }
}

#else

int a3d_kernel_path(void) { return a3dPathPortable; }

void a3d_int8_dot_rows(const int8_t *codes, size_t rows, size_t stride, const int8_t *query,
                       const int32_t *row_sums, int32_t *out) {
    (void)row_sums;
    a3d_int8_dot_rows_reference(codes, rows, stride, query, out);
}

void a3d_int8_dot_selected_rows(const int8_t *codes, const int32_t *row_indices, size_t count, size_t stride,
                                const int8_t *query, const int32_t *row_sums, int32_t *out) {
    (void)row_sums;
    dot_selected_portable(codes, row_indices, count, stride, query, out);
}

const char *a3d_int8_kernel_name(void) { return "portable"; }

#endif
