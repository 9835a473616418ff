// Matrix products on Intel AMX tiles with three bf16 products per fp32 product ("bf16x3").
//
// Every fp32 operand v is split as v ≈ hi + lo, hi = bf16(v), lo = bf16(v - hi): 16 significant bits
// instead of 24, |v - hi - lo| <= 2^-16 |v|. The product x·W is computed as xh·Wh + xh·Wl + xl·Wh (the
// dropped xl·Wl is below 2^-16 of |x·W| too). TDPBF16PS multiplies bf16 pairs exactly and adds them in
// fp32, so the sum over the depth is accumulated as in an fp32 GEMM. One fp32 product thus costs three
// bf16 tile products, still several times fewer cycles than AVX-512 FMAs on the same core.
//
// The weights are split and packed once (at load) in the tile layout TDPBF16PS reads for its B operand;
// activations are split and packed per call. Depth, rows and columns are padded with zeros to whole tiles
// inside the packed buffers, so the kernel itself has no tails; only the final store masks columns and rows.
#include "CNeuralKernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#define AMX_TARGET __attribute__((target("amx-tile,amx-bf16,avx512f,avx512bw,avx512vl,avx512bf16")))
#endif

enum { tile_values = 512 };  // bf16 values in one 16 x 64-byte tile (16 rows of 32)

// MARK: - Availability

static int amx_state = -1;  // benign race: every thread computes the same value

int nk_amx_available(void) {
#if defined(__x86_64__) && defined(__linux__)
    if (amx_state < 0) {
        __builtin_cpu_init();
        // Linux hands out the 8 KiB tile state only to processes that ask for it (once, for all threads); it
        // refuses when the kernel or the hypervisor does not support it.
        amx_state = __builtin_cpu_supports("amx-tile") && __builtin_cpu_supports("amx-bf16")
            && __builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512f")
            && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
            && syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18 /* XFEATURE_XTILEDATA */) == 0;
    }
    return amx_state;
#else
    return 0;
#endif
}

// MARK: - Packing

static inline uint16_t bf16_round(float v) {
    uint32_t bits;
    memcpy(&bits, &v, 4);
    bits += 0x7fff + ((bits >> 16) & 1);  // to nearest, ties to even
    return (uint16_t)(bits >> 16);
}

static inline float bf16_float(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float v;
    memcpy(&v, &bits, 4);
    return v;
}

size_t nk_amx_weights_count(size_t depth, size_t width) {
    return (width + 15) / 16 * ((depth + 31) / 32) * 2 * tile_values;
}

size_t nk_amx_inputs_count(size_t rows, size_t depth) {
    return (rows + 15) / 16 * ((depth + 31) / 32) * 2 * tile_values;
}

// Per block of 16 output columns, per block of 32 of the depth: the hi tile, then the lo tile. Tile row r
// holds, for each of the 16 columns j, the pair (W[2r][j], W[2r+1][j]) of depths: TDPBF16PS's B layout.
void nk_amx_pack_weights(const float *weight, size_t depth, size_t width, uint16_t *out) {
    size_t depth_blocks = (depth + 31) / 32, column_blocks = (width + 15) / 16;
    for (size_t cb = 0; cb < column_blocks; cb++)
        for (size_t db = 0; db < depth_blocks; db++) {
            uint16_t *hi = out + (cb * depth_blocks + db) * 2 * tile_values, *lo = hi + tile_values;
            for (size_t j = 0; j < 16; j++) {
                size_t column = cb * 16 + j;
                for (size_t i = 0; i < 32; i++) {
                    size_t d = db * 32 + i;
                    float v = column < width && d < depth ? weight[column * depth + d] : 0;
                    uint16_t h = bf16_round(v);
                    size_t at = (i / 2) * 32 + 2 * j + (i % 2);
                    hi[at] = h;
                    lo[at] = bf16_round(v - bf16_float(h));
                }
            }
        }
}

#if defined(__x86_64__)
// Per block of 16 rows, per block of 32 of the depth: the hi tile, then the lo tile, each 16 rows of 32.
AMX_TARGET static void pack_inputs_amx(const float *x, size_t rows, size_t depth, uint16_t *out,
                                       size_t first_block, size_t end_block) {
    size_t depth_blocks = (depth + 31) / 32;
    for (size_t rb = first_block; rb < end_block; rb++)
        for (size_t db = 0; db < depth_blocks; db++) {
            uint16_t *hi = out + (rb * depth_blocks + db) * 2 * tile_values, *lo = hi + tile_values;
            size_t d = db * 32, left = depth - d < 32 ? depth - d : 32;
            __mmask16 low_mask = left >= 16 ? 0xffff : (__mmask16)((1u << left) - 1);
            __mmask16 high_mask = left <= 16 ? 0 : left >= 32 ? 0xffff : (__mmask16)((1u << (left - 16)) - 1);
            for (size_t r = 0; r < 16; r++) {
                size_t row = rb * 16 + r;
                __m512 v0 = _mm512_setzero_ps(), v1 = _mm512_setzero_ps();
                if (row < rows) {
                    v0 = _mm512_maskz_loadu_ps(low_mask, x + row * depth + d);
                    v1 = _mm512_maskz_loadu_ps(high_mask, x + row * depth + d + 16);
                }
                __m512i h = (__m512i)_mm512_cvtne2ps_pbh(v1, v0);  // 32 bf16, v0's first
                // hi back in fp32 (its bits in the upper half) to take the remainder exactly
                __m512 h0 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(h)), 16));
                __m512 h1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(h, 1)), 16));
                __m512i l = (__m512i)_mm512_cvtne2ps_pbh(_mm512_sub_ps(v1, h1), _mm512_sub_ps(v0, h0));
                _mm512_storeu_si512(hi + r * 32, h);
                _mm512_storeu_si512(lo + r * 32, l);
            }
        }
}
#endif

void nk_amx_pack_inputs(const float *x, size_t rows, size_t depth, uint16_t *out, size_t first_block,
                        size_t end_block) {
#if defined(__x86_64__)
    if (nk_amx_available()) pack_inputs_amx(x, rows, depth, out, first_block, end_block);
#endif
}

// MARK: - Product

#if defined(__x86_64__)
/// The LDTILECFG operand (palette 1): all 8 tiles 16 rows of 64 bytes.
typedef struct {
    uint8_t palette, start_row, reserved[14];
    uint16_t bytes_per_row[16];
    uint8_t rows[16];
} tile_config;

AMX_TARGET static void configure_tiles(void) {
    tile_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int t = 0; t < 8; t++) {
        config.rows[t] = 16;
        config.bytes_per_row[t] = 64;
    }
    _tile_loadconfig(&config);
}

// Register blocking: accumulators 0-3 hold C for 2 row blocks x 2 column blocks (tile 2·i + j); 4-5 take
// the activations of the row blocks, 6-7 the weights of the column blocks. Per 32 of depth that is 12 tile
// products for 10 tile loads (xh, Wh; Wl; xl, Wh again), which the tile unit overlaps with the products.
// a0/a1 and b0/b1 point at hi tiles, their lo tiles follow. R2/C2 = 0 leave out the second row/column
// block (odd block counts), so one body serves the 2x2, 2x1, 1x2 and 1x1 variants.
#define MICRO_KERNEL(NAME, R2, C2)                                                                          \
    AMX_TARGET static void NAME(const uint16_t *a0, const uint16_t *a1, const uint16_t *b0, const uint16_t *b1, \
                                size_t depth_blocks, float *c) {                                            \
        _tile_zero(0);                                                                                      \
        if (C2) _tile_zero(1);                                                                              \
        if (R2) _tile_zero(2);                                                                              \
        if (R2 && C2) _tile_zero(3);                                                                        \
        for (size_t db = 0; db < depth_blocks; db++) {                                                      \
            _tile_loadd(4, a0, 64);                                                                         \
            if (R2) _tile_loadd(5, a1, 64);                                                                 \
            _tile_loadd(6, b0, 64);                                                                         \
            if (C2) _tile_loadd(7, b1, 64);                                                                 \
            PRODUCTS(R2, C2);                                                                               \
            _tile_loadd(6, b0 + tile_values, 64);                                                           \
            if (C2) _tile_loadd(7, b1 + tile_values, 64);                                                   \
            PRODUCTS(R2, C2);                                                                               \
            _tile_loadd(4, a0 + tile_values, 64);                                                           \
            if (R2) _tile_loadd(5, a1 + tile_values, 64);                                                   \
            _tile_loadd(6, b0, 64);                                                                         \
            if (C2) _tile_loadd(7, b1, 64);                                                                 \
            PRODUCTS(R2, C2);                                                                               \
            a0 += 2 * tile_values, a1 += 2 * tile_values, b0 += 2 * tile_values, b1 += 2 * tile_values;    \
        }                                                                                                   \
        _tile_stored(0, c, 64);                                                                             \
        if (C2) _tile_stored(1, c + 256, 64);                                                               \
        if (R2) _tile_stored(2, c + 512, 64);                                                               \
        if (R2 && C2) _tile_stored(3, c + 768, 64);                                                         \
    }
#define PRODUCTS(R2, C2)                            \
    do {                                            \
        _tile_dpbf16ps(0, 4, 6);                    \
        if (C2) _tile_dpbf16ps(1, 4, 7);            \
        if (R2) _tile_dpbf16ps(2, 5, 6);            \
        if (R2 && C2) _tile_dpbf16ps(3, 5, 7);      \
    } while (0)

MICRO_KERNEL(micro_2x2, 1, 1)
MICRO_KERNEL(micro_2x1, 1, 0)
MICRO_KERNEL(micro_1x2, 0, 1)
MICRO_KERNEL(micro_1x1, 0, 0)

// One 16 x 16 accumulator tile (c) into y's `rows` x `columns` corner: plus bias, plus y with accumulate.
AMX_TARGET static inline void store_block(const float *c, float *y, size_t ldy, size_t rows, size_t columns,
                                          const float *bias, int accumulate) {
    __mmask16 mask = columns >= 16 ? 0xffff : (__mmask16)((1u << columns) - 1);
    __m512 b = bias ? _mm512_maskz_loadu_ps(mask, bias) : _mm512_setzero_ps();
    for (size_t r = 0; r < rows; r++) {
        __m512 v = _mm512_add_ps(_mm512_load_ps(c + r * 16), b);
        if (accumulate) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask, y + r * ldy));
        _mm512_mask_storeu_ps(y + r * ldy, mask, v);
    }
}

AMX_TARGET static void multiply_amx(const uint16_t *inputs, size_t rows, const uint16_t *weights, size_t depth,
                                    size_t width, size_t first_column, size_t end_column, float *y,
                                    const float *bias, int accumulate) {
    configure_tiles();
    size_t depth_blocks = (depth + 31) / 32, row_blocks = (rows + 15) / 16, stride = depth_blocks * 2 * tile_values;
    // Row blocks per pass over the columns: their packed activations (hi + lo) stay in L2 (2 MiB per core on
    // Sapphire Rapids) next to the weights of a column pair, while the column pairs stream past them.
    size_t chunk = (768 * 1024) / (stride * 2);
    chunk = chunk < 2 ? 2 : chunk & ~(size_t)1;
    float c[1024] __attribute__((aligned(64)));
    for (size_t rb0 = 0; rb0 < row_blocks; rb0 += chunk) {
        size_t rb_end = rb0 + chunk < row_blocks ? rb0 + chunk : row_blocks;
        for (size_t cb = first_column / 16; cb * 16 < end_column; cb += 2) {
            int two_columns = (cb + 1) * 16 < end_column;
            const uint16_t *b0 = weights + cb * stride, *b1 = b0 + stride;
            for (size_t rb = rb0; rb < rb_end; rb += 2) {
                int two_rows = rb + 1 < rb_end;
                const uint16_t *a0 = inputs + rb * stride, *a1 = a0 + stride;
                if (two_rows && two_columns) micro_2x2(a0, a1, b0, b1, depth_blocks, c);
                else if (two_rows) micro_2x1(a0, a1, b0, b1, depth_blocks, c);
                else if (two_columns) micro_1x2(a0, a1, b0, b1, depth_blocks, c);
                else micro_1x1(a0, a1, b0, b1, depth_blocks, c);
                for (int i = 0; i <= two_rows; i++)
                    for (int j = 0; j <= two_columns; j++) {
                        size_t row = (rb + i) * 16, column = (cb + j) * 16;
                        store_block(c + (2 * i + j) * 256, y + row * width + column, width,
                                    rows - row < 16 ? rows - row : 16,
                                    end_column - column < 16 ? end_column - column : 16,
                                    bias ? bias + column : NULL, accumulate);
                    }
            }
        }
    }
    // Back to the initial tile state: context switches then save and restore no tile data.
    _tile_release();
}
#endif

void nk_amx_multiply(const uint16_t *inputs, size_t rows, const uint16_t *weights, size_t depth, size_t width,
                     size_t first_column, size_t end_column, float *y, const float *bias, int accumulate) {
#if defined(__x86_64__)
    if (rows > 0 && end_column > first_column && nk_amx_available())
        multiply_amx(inputs, rows, weights, depth, width, first_column, end_column, y, bias, accumulate);
#endif
}
