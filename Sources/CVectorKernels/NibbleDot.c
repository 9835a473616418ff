// Dot products of 4-bit rows (two codes per byte) with one int8 query: the first, half-size tier of the embedded
// store's scan. Dispatched once per process on the CPU's features, like Int8Dot.c.
#include "CVectorKernels.h"
#include "KernelPath.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Byte j of 64-byte group g holds component 128g + j in its low nibble and 128g + 64 + j in its high nibble.
static inline int32_t nibble_row_reference(const uint8_t *row, size_t stride, const int8_t *query) {
    int32_t sum = 0;
    for (size_t g = 0; g < stride / 64; g++) {
        for (size_t j = 0; j < 64; j++) {
            uint8_t byte = row[g * 64 + j];
            sum += (int32_t)(byte & 0x0F) * query[g * 128 + j];
            sum += (int32_t)(byte >> 4) * query[g * 128 + 64 + j];
        }
    }
    return sum;
}

void a3d_nibble_dot_rows_reference(const uint8_t *codes, size_t rows, size_t stride, const int8_t *query,
                                   int32_t *out) {
    for (size_t r = 0; r < rows; r++) out[r] = nibble_row_reference(codes + r * stride, stride, query);
}

#if defined(__x86_64__)

// VNNI: unsigned nibbles times signed query bytes, four products per 32-bit lane; no bias to remove.
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void nibble_rows_avx512vnni(const uint8_t *codes, size_t rows, size_t stride, const int8_t *query,
                                   int32_t *out) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    size_t groups = stride / 64;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const uint8_t *row = codes + r * stride;
        __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
        for (size_t g = 0; g < groups; g++) {
            __m512i qLow = _mm512_loadu_si512(query + g * 128);
            __m512i qHigh = _mm512_loadu_si512(query + g * 128 + 64);
#define A3D_NIBBLE_STEP(acc, offset)                                                              \
    {                                                                                             \
        __m512i v = _mm512_loadu_si512(row + (offset) + g * 64);                                  \
        acc = _mm512_dpbusd_epi32(acc, _mm512_and_si512(v, low), qLow);                           \
        acc = _mm512_dpbusd_epi32(acc, _mm512_and_si512(_mm512_srli_epi16(v, 4), low), qHigh);    \
    }
            A3D_NIBBLE_STEP(a0, 0)
            A3D_NIBBLE_STEP(a1, stride)
            A3D_NIBBLE_STEP(a2, 2 * stride)
            A3D_NIBBLE_STEP(a3, 3 * stride)
#undef A3D_NIBBLE_STEP
        }
        out[r] = _mm512_reduce_add_epi32(a0);
        out[r + 1] = _mm512_reduce_add_epi32(a1);
        out[r + 2] = _mm512_reduce_add_epi32(a2);
        out[r + 3] = _mm512_reduce_add_epi32(a3);
    }
    for (; r < rows; r++) {
        const uint8_t *row = codes + r * stride;
        __m512i a = _mm512_setzero_si512();
        for (size_t g = 0; g < groups; g++) {
            __m512i v = _mm512_loadu_si512(row + g * 64);
            a = _mm512_dpbusd_epi32(a, _mm512_and_si512(v, low), _mm512_loadu_si512(query + g * 128));
            a = _mm512_dpbusd_epi32(a, _mm512_and_si512(_mm512_srli_epi16(v, 4), low),
                                    _mm512_loadu_si512(query + g * 128 + 64));
        }
        out[r] = _mm512_reduce_add_epi32(a);
    }
}

// AVX2: maddubs multiplies unsigned nibbles by signed query bytes into 16-bit pair sums (|sum| <= 2*15*128,
// no saturation), madd with ones widens to 32 bits. A 64-byte group is two 32-byte halves.
__attribute__((target("avx2")))
static void nibble_rows_avx2(const uint8_t *codes, size_t rows, size_t stride, const int8_t *query, int32_t *out) {
    const __m256i low = _mm256_set1_epi8(0x0F);
    const __m256i ones = _mm256_set1_epi16(1);
    for (size_t r = 0; r < rows; r++) {
        const uint8_t *row = codes + r * stride;
        __m256i a = _mm256_setzero_si256();
        for (size_t g = 0; g < stride / 64; g++) {
            for (size_t half = 0; half < 2; half++) {
                __m256i v = _mm256_loadu_si256((const __m256i *)(row + g * 64 + half * 32));
                __m256i qLow = _mm256_loadu_si256((const __m256i *)(query + g * 128 + half * 32));
                __m256i qHigh = _mm256_loadu_si256((const __m256i *)(query + g * 128 + 64 + half * 32));
                __m256i pl = _mm256_maddubs_epi16(_mm256_and_si256(v, low), qLow);
                __m256i ph = _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(v, 4), low), qHigh);
                a = _mm256_add_epi32(a, _mm256_madd_epi16(_mm256_add_epi16(pl, ph), ones));
            }
        }
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
        out[r] = _mm_cvtsi128_si32(s);
    }
}

void a3d_nibble_dot_rows(const uint8_t *codes, size_t rows, size_t stride, const int8_t *query, int32_t *out) {
    switch (a3d_kernel_path()) {
    case a3dPathVNNI: nibble_rows_avx512vnni(codes, rows, stride, query, out); return;
    case a3dPathAVX2: nibble_rows_avx2(codes, rows, stride, query, out); return;
    default: a3d_nibble_dot_rows_reference(codes, rows, stride, query, out); return;
    }
}

#else

void a3d_nibble_dot_rows(const uint8_t *codes, size_t rows, size_t stride, const int8_t *query, int32_t *out) {
    a3d_nibble_dot_rows_reference(codes, rows, stride, query, out);
}

#endif
