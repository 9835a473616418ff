// One head of self-attention over one short sequence, without BLAS calls: scores for four query rows at
// a time against the keys transposed into 16-wide blocks, softmax per row, then the weighted values
// for the same four rows. AVX-512 when the CPU has it, portable C otherwise.
#include "CNeuralKernels.h"
#include "Approximations.h"

static inline size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

size_t nk_attention_scratch(size_t keys, size_t head_dim) {
    return head_dim * round16(keys) + 4 * round16(keys) + 16;
}

// MARK: - Portable

static void attend_portable(const float *q, const float *k, const float *v, size_t ld, float *o, size_t ldo,
                            size_t queries, size_t length, size_t d, float scale, int causal, float *scores) {
    for (size_t i = 0; i < queries; i++) {
        size_t keys = causal ? i + 1 : length;
        for (size_t j = 0; j < keys; j++) {
            float dot = 0;
            for (size_t e = 0; e < d; e++) dot += q[i * ld + e] * k[j * ld + e];
            scores[j] = dot * scale;
        }
        nk_softmax(scores, keys);
        float *out = o + i * ldo;
        for (size_t e = 0; e < d; e++) out[e] = 0;
        for (size_t j = 0; j < keys; j++)
            for (size_t e = 0; e < d; e++) out[e] += scores[j] * v[j * ld + e];
    }
}

// MARK: - AVX-512

/// Scores of query rows `rows[0..3]` against keys [0, keys_end) (zero-padded to 16s in `kt`), times
/// `scale`, into s[r * lp + j].
NK_AVX512 static inline void scores4(const float *const rows[4], const float *kt, size_t lp, size_t keys_end,
                                     size_t d, float scale, float *s) {
    for (size_t jb = 0; jb < keys_end; jb += 32) {
        int two = jb + 16 < keys_end;
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        const float *col = kt + jb;
        if (two) {
            for (size_t e = 0; e < d; e++, col += lp) {
                __m512 k0 = _mm512_loadu_ps(col), k1 = _mm512_loadu_ps(col + 16);
                __m512 q0 = _mm512_set1_ps(rows[0][e]), q1 = _mm512_set1_ps(rows[1][e]);
                __m512 q2 = _mm512_set1_ps(rows[2][e]), q3 = _mm512_set1_ps(rows[3][e]);
                a0 = _mm512_fmadd_ps(q0, k0, a0); b0 = _mm512_fmadd_ps(q0, k1, b0);
                a1 = _mm512_fmadd_ps(q1, k0, a1); b1 = _mm512_fmadd_ps(q1, k1, b1);
                a2 = _mm512_fmadd_ps(q2, k0, a2); b2 = _mm512_fmadd_ps(q2, k1, b2);
                a3 = _mm512_fmadd_ps(q3, k0, a3); b3 = _mm512_fmadd_ps(q3, k1, b3);
            }
        } else {
            for (size_t e = 0; e < d; e++, col += lp) {
                __m512 k0 = _mm512_loadu_ps(col);
                a0 = _mm512_fmadd_ps(_mm512_set1_ps(rows[0][e]), k0, a0);
                a1 = _mm512_fmadd_ps(_mm512_set1_ps(rows[1][e]), k0, a1);
                a2 = _mm512_fmadd_ps(_mm512_set1_ps(rows[2][e]), k0, a2);
                a3 = _mm512_fmadd_ps(_mm512_set1_ps(rows[3][e]), k0, a3);
            }
        }
        __m512 sc = _mm512_set1_ps(scale);
        _mm512_storeu_ps(s + jb, _mm512_mul_ps(a0, sc));
        _mm512_storeu_ps(s + lp + jb, _mm512_mul_ps(a1, sc));
        _mm512_storeu_ps(s + 2 * lp + jb, _mm512_mul_ps(a2, sc));
        _mm512_storeu_ps(s + 3 * lp + jb, _mm512_mul_ps(a3, sc));
        if (two) {
            _mm512_storeu_ps(s + jb + 16, _mm512_mul_ps(b0, sc));
            _mm512_storeu_ps(s + lp + jb + 16, _mm512_mul_ps(b1, sc));
            _mm512_storeu_ps(s + 2 * lp + jb + 16, _mm512_mul_ps(b2, sc));
            _mm512_storeu_ps(s + 3 * lp + jb + 16, _mm512_mul_ps(b3, sc));
        }
    }
}

/// out rows r < count: Σ_j s[r * lp + j] · v[j] over j < keys_end, for NV 16-wide column blocks from `col`.
NK_AVX512 static inline __attribute__((always_inline)) void weighted4(
    const float *s, size_t lp, const float *v, size_t ld, size_t keys_end, size_t col, size_t d, int nv,
    float *const outs[4], size_t count) {
    __m512 acc[4][4];
    __mmask16 masks[4];
    for (int c = 0; c < nv; c++) {
        size_t start = col + 16 * (size_t)c;
        masks[c] = start + 16 <= d ? (__mmask16)0xFFFF : nk_tail(d - start);
        for (int r = 0; r < 4; r++) acc[r][c] = _mm512_setzero_ps();
    }
    for (size_t j = 0; j < keys_end; j++) {
        const float *row = v + j * ld + col;
        __m512 p0 = _mm512_set1_ps(s[j]), p1 = _mm512_set1_ps(s[lp + j]);
        __m512 p2 = _mm512_set1_ps(s[2 * lp + j]), p3 = _mm512_set1_ps(s[3 * lp + j]);
        for (int c = 0; c < nv; c++) {
            __m512 x = _mm512_maskz_loadu_ps(masks[c], row + 16 * c);
            acc[0][c] = _mm512_fmadd_ps(p0, x, acc[0][c]);
            acc[1][c] = _mm512_fmadd_ps(p1, x, acc[1][c]);
            acc[2][c] = _mm512_fmadd_ps(p2, x, acc[2][c]);
            acc[3][c] = _mm512_fmadd_ps(p3, x, acc[3][c]);
        }
    }
    for (size_t r = 0; r < count; r++)
        for (int c = 0; c < nv; c++) _mm512_mask_storeu_ps(outs[r] + col + 16 * c, masks[c], acc[r][c]);
}

NK_AVX512 static void attend_avx512(const float *q, const float *k, const float *v, size_t ld, float *o, size_t ldo,
                                    size_t queries, size_t length, size_t d, float scale, int causal,
                                    float *scratch) {
    size_t lp = round16(length);
    float *kt = scratch;          // [d, lp]: keys transposed, zero-padded
    float *s = kt + d * lp;       // [4, lp]: scores, then probabilities, of four query rows
    for (size_t e = 0; e < d; e++) {
        float *line = kt + e * lp;
        for (size_t j = 0; j < length; j++) line[j] = k[j * ld + e];
        for (size_t j = length; j < lp; j++) line[j] = 0;
    }
    for (size_t i0 = 0; i0 < queries; i0 += 4) {
        size_t count = queries - i0 < 4 ? queries - i0 : 4;
        const float *rows[4];
        float *outs[4];
        for (size_t r = 0; r < 4; r++) {
            size_t i = i0 + (r < count ? r : count - 1);  // missing rows repeat the last (results dropped)
            rows[r] = q + i * ld;
            outs[r] = o + i * ldo;
        }
        // Causal: these rows see keys up to i0 + count - 1 only.
        size_t keys_end = causal ? i0 + count : length;
        scores4(rows, kt, lp, keys_end, d, scale, s);
        for (size_t r = 0; r < 4; r++) {
            float *line = s + r * lp;
            size_t keys = causal ? i0 + (r < count ? r : count - 1) + 1 : length;
            nk_softmax_avx512(line, keys);
            for (size_t j = keys; j < keys_end; j++) line[j] = 0;  // masked keys: probability 0
        }
        for (size_t col = 0; col < d; col += 64) {
            size_t left = (d - col + 15) / 16;
            switch (left >= 4 ? 4 : left) {
            case 4: weighted4(s, lp, v, ld, keys_end, col, d, 4, outs, count); break;
            case 3: weighted4(s, lp, v, ld, keys_end, col, d, 3, outs, count); break;
            case 2: weighted4(s, lp, v, ld, keys_end, col, d, 2, outs, count); break;
            default: weighted4(s, lp, v, ld, keys_end, col, d, 1, outs, count); break;
            }
        }
    }
}

void nk_attend_head(const float *q, const float *k, const float *v, size_t in_stride, float *o, size_t out_stride,
                    size_t queries, size_t keys, size_t head_dim, float scale, int causal, float *scratch) {
    if (queries == 0 || keys == 0) return;
    if (causal && queries > keys) queries = keys;  // (causal self-attention has one query per key)
    if (nk_use_avx512())
        attend_avx512(q, k, v, in_stride, o, out_stride, queries, keys, head_dim, scale, causal, scratch);
    else
        attend_portable(q, k, v, in_stride, o, out_stride, queries, keys, head_dim, scale, causal, scratch);
}
