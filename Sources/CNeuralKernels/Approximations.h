// exp and erf approximations shared by the kernels, as scalar C and as AVX-512 vectors.
//
// exp: x = n·ln2 + r with |r| <= ln2/2, e^r by its Taylor series to r^7, 2^n assembled in the exponent
// bits; n is rounded by adding and subtracting 1.5·2^23. Relative error below 2e-7; 0 below -87,
// +inf above 88. erf: x·P(x²)/Q(x²) on [-4, 4], ±1 beyond 3.9 (absolute error below 4e-7).
// These are the approximations of Neural's Swift kernels (Ops+Activations.swift), fitted for this project.
#ifndef NK_APPROXIMATIONS_H
#define NK_APPROXIMATIONS_H

#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define NK_AVX512 __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,fma")))

#define NK_EXP_COEFFICIENTS(P) \
    P(1.0f / 5040) P(1.0f / 720) P(1.0f / 120) P(1.0f / 24) P(1.0f / 6) P(0.5f) P(1.0f) P(1.0f)

static inline float nk_exp(float value) {
    float x = fminf(88.f, fmaxf(-87.f, value));
    float shifted = x * 1.4426950408889634f + 12582912.f;
    float n = shifted - 12582912.f;
    float r = (x - n * 0.693145751953125f) - n * 1.428606765330187e-06f;
    float p = 0;
#define NK_STEP(c) p = p * r + (c);
    NK_EXP_COEFFICIENTS(NK_STEP)
#undef NK_STEP
    uint32_t bits;
    memcpy(&bits, &shifted, 4);
    bits = (bits - 0x4B400000u + 127u) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    float result = p * scale;
    return value < -87.f ? 0.f : (value > 88.f ? INFINITY : result);
}

static inline float nk_erf(float value) {
    float x = fminf(4.f, fmaxf(-4.f, value));
    float t = x * x;
    float p = -1.366747313470e-08f;
    p = p * t + 4.780679179619e-06f;
    p = p * t + 3.826971853936e-04f;
    p = p * t + 3.839528780206e-03f;
    p = p * t + 5.433266168440e-02f;
    p = p * t + 1.847099580884e-01f;
    p = p * t + 1.128379182092e+00f;
    float q = 6.401059863748e-05f;
    q = q * t + 1.309585717237e-03f;
    q = q * t + 1.545353121865e-02f;
    q = q * t + 1.138262507995e-01f;
    q = q * t + 4.970284836846e-01f;
    q = q * t + 1;
    return fabsf(value) > 3.9f ? (value > 0 ? 1.f : -1.f) : x * p / q;
}

NK_AVX512 static inline __m512 nk_exp16(__m512 value) {
    __m512 x = _mm512_min_ps(_mm512_set1_ps(88.f), _mm512_max_ps(_mm512_set1_ps(-87.f), value));
    __m512 shifted = _mm512_fmadd_ps(x, _mm512_set1_ps(1.4426950408889634f), _mm512_set1_ps(12582912.f));
    __m512 n = _mm512_sub_ps(shifted, _mm512_set1_ps(12582912.f));
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187e-06f), r);
    __m512 p = _mm512_setzero_ps();
#define NK_STEP(c) p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
    NK_EXP_COEFFICIENTS(NK_STEP)
#undef NK_STEP
    __m512i bits = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_set1_epi32(0x4B400000 - 127));
    __m512 result = _mm512_mul_ps(p, _mm512_castsi512_ps(_mm512_slli_epi32(bits, 23)));
    __mmask16 low = _mm512_cmp_ps_mask(value, _mm512_set1_ps(-87.f), _CMP_LT_OQ);
    __mmask16 high = _mm512_cmp_ps_mask(value, _mm512_set1_ps(88.f), _CMP_GT_OQ);
    result = _mm512_mask_blend_ps(low, result, _mm512_setzero_ps());
    return _mm512_mask_blend_ps(high, result, _mm512_set1_ps(INFINITY));
}

NK_AVX512 static inline __m512 nk_erf16(__m512 value) {
    __m512 x = _mm512_min_ps(_mm512_set1_ps(4.f), _mm512_max_ps(_mm512_set1_ps(-4.f), value));
    __m512 t = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(-1.366747313470e-08f);
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(4.780679179619e-06f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(3.826971853936e-04f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(3.839528780206e-03f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(5.433266168440e-02f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.847099580884e-01f));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.128379182092e+00f));
    __m512 q = _mm512_set1_ps(6.401059863748e-05f);
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.309585717237e-03f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.545353121865e-02f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.138262507995e-01f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(4.970284836846e-01f));
    q = _mm512_fmadd_ps(q, t, _mm512_set1_ps(1.f));
    __m512 result = _mm512_div_ps(_mm512_mul_ps(x, p), q);
    // Beyond 3.9, erf rounds to ±1 in Float32: return that exactly (the sign of x).
    __mmask16 far = _mm512_cmp_ps_mask(_mm512_abs_ps(value), _mm512_set1_ps(3.9f), _CMP_GT_OQ);
    __m512 one = _mm512_or_ps(_mm512_set1_ps(1.f), _mm512_and_ps(value, _mm512_set1_ps(-0.f)));
    return _mm512_mask_blend_ps(far, result, one);
}

/// Lanes below `count` (count < 16) set.
static inline __mmask16 nk_tail(size_t count) { return (__mmask16)((1u << count) - 1u); }

/// 1 when the AVX-512 paths run on this CPU (decided once per process).
int nk_use_avx512(void);
/// nk_softmax's AVX-512 path.
NK_AVX512 void nk_softmax_avx512(float *v, size_t count);

#endif
