// Activations, layer normalisation and softmax: AVX-512 when the CPU has it, portable C otherwise.
#include "CNeuralKernels.h"
#include "Approximations.h"

#include <stdlib.h>
#include <string.h>

// MARK: - Dispatch

static int selected = -1;  // benign race: every thread computes the same value

// NEURAL_SIMD=0 forces the portable paths (for comparisons and for testing them on AVX-512 machines).
static int has_avx512(void) {
    if (selected < 0) {
        const char *setting = getenv("NEURAL_SIMD");
        __builtin_cpu_init();
        selected = !(setting && strcmp(setting, "0") == 0) && __builtin_cpu_supports("avx512f")
            && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl");
    }
    return selected;
}

int nk_use_avx512(void) { return has_avx512(); }

const char *nk_kernel_name(void) { return has_avx512() ? "avx512" : "portable"; }

float nk_exp_approximation(float x) { return nk_exp(x); }

float nk_erf_approximation(float x) { return nk_erf(x); }

// MARK: - Portable

static inline float activate1(float x, int activation) {
    switch (activation) {
    case nk_gelu: return 0.5f * x * (1 + nk_erf(x * 0.7071067811865475f));
    case nk_gelu_tanh: {
        // 0.5·x·(1 + tanh(u)) = x·σ(2u) = x / (1 + e^(−2u))
        float u = 0.7978845608028654f * (x + 0.044715f * x * x * x);
        return x / (1 + nk_exp(-2 * u));
    }
    case nk_quick_gelu: return x / (1 + nk_exp(-1.702f * x));
    default: return x > 0 ? x : 0;
    }
}

static void activate_portable(float *v, size_t count, int activation) {
    for (size_t i = 0; i < count; i++) v[i] = activate1(v[i], activation);
}

static void layer_norm_portable(float *x, const float *residual, float *out, size_t rows, size_t width,
                                const float *gamma, const float *beta, float eps) {
    for (size_t row = 0; row < rows; row++) {
        float *v = x + row * width, *o = out + row * width;
        if (residual)
            for (size_t i = 0; i < width; i++) v[i] += residual[row * width + i];
        float sum = 0;
        for (size_t i = 0; i < width; i++) sum += v[i];
        float mean = sum / (float)width, squares = 0;
        for (size_t i = 0; i < width; i++) squares += (v[i] - mean) * (v[i] - mean);
        float inv = 1 / sqrtf(squares / (float)width + eps);
        for (size_t i = 0; i < width; i++) o[i] = (v[i] - mean) * inv * gamma[i] + beta[i];
    }
}

static void softmax_portable(float *v, size_t count) {
    if (count == 0) return;
    float peak = v[0], sum = 0;
    for (size_t i = 1; i < count; i++) peak = v[i] > peak ? v[i] : peak;
    for (size_t i = 0; i < count; i++) v[i] = nk_exp(v[i] - peak);
    for (size_t i = 0; i < count; i++) sum += v[i];
    float inv = 1 / sum;
    for (size_t i = 0; i < count; i++) v[i] *= inv;
}

// MARK: - AVX-512

NK_AVX512 static inline __m512 activate16(__m512 x, int activation) {
    switch (activation) {
    case nk_gelu: {
        __m512 e = nk_erf16(_mm512_mul_ps(x, _mm512_set1_ps(0.7071067811865475f)));
        return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), _mm512_add_ps(_mm512_set1_ps(1.f), e));
    }
    case nk_gelu_tanh: {
        __m512 cube = _mm512_mul_ps(_mm512_mul_ps(x, x), x);
        __m512 u = _mm512_mul_ps(_mm512_set1_ps(0.7978845608028654f),
                                 _mm512_fmadd_ps(_mm512_set1_ps(0.044715f), cube, x));
        __m512 e = nk_exp16(_mm512_mul_ps(_mm512_set1_ps(-2.f), u));
        return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.f), e));
    }
    case nk_quick_gelu: {
        __m512 e = nk_exp16(_mm512_mul_ps(_mm512_set1_ps(-1.702f), x));
        return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.f), e));
    }
    default: return _mm512_max_ps(x, _mm512_setzero_ps());
    }
}

NK_AVX512 static void activate_avx512(float *v, size_t count, int activation) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(v + i, activate16(_mm512_loadu_ps(v + i), activation));
    if (i < count) {
        __mmask16 m = nk_tail(count - i);
        _mm512_mask_storeu_ps(v + i, m, activate16(_mm512_maskz_loadu_ps(m, v + i), activation));
    }
}

NK_AVX512 static void layer_norm_avx512(float *x, const float *residual, float *out, size_t rows, size_t width,
                                        const float *gamma, const float *beta, float eps) {
    size_t full = width & ~(size_t)15;
    __mmask16 tail = nk_tail(width - full);
    for (size_t row = 0; row < rows; row++) {
        float *v = x + row * width, *o = out + row * width;
        const float *r = residual ? residual + row * width : 0;
        __m512 sum = _mm512_setzero_ps();
        for (size_t i = 0; i < width; i += 16) {
            __mmask16 m = i < full ? 0xFFFF : tail;
            __m512 a = _mm512_maskz_loadu_ps(m, v + i);
            if (r) {
                a = _mm512_add_ps(a, _mm512_maskz_loadu_ps(m, r + i));
                _mm512_mask_storeu_ps(v + i, m, a);
            }
            sum = _mm512_add_ps(sum, a);
        }
        __m512 mean = _mm512_set1_ps(_mm512_reduce_add_ps(sum) / (float)width);
        __m512 squares = _mm512_setzero_ps();
        for (size_t i = 0; i < width; i += 16) {
            __mmask16 m = i < full ? 0xFFFF : tail;
            __m512 d = _mm512_maskz_sub_ps(m, _mm512_maskz_loadu_ps(m, v + i), mean);
            squares = _mm512_fmadd_ps(d, d, squares);
        }
        __m512 inv = _mm512_set1_ps(1 / sqrtf(_mm512_reduce_add_ps(squares) / (float)width + eps));
        for (size_t i = 0; i < width; i += 16) {
            __mmask16 m = i < full ? 0xFFFF : tail;
            __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, v + i), mean), inv);
            __m512 y = _mm512_fmadd_ps(d, _mm512_maskz_loadu_ps(m, gamma + i), _mm512_maskz_loadu_ps(m, beta + i));
            _mm512_mask_storeu_ps(o + i, m, y);
        }
    }
}

NK_AVX512 void nk_softmax_avx512(float *v, size_t count) {
    if (count == 0) return;
    size_t full = count & ~(size_t)15;
    __mmask16 tail = nk_tail(count - full);
    __m512 peak = _mm512_set1_ps(v[0]);
    for (size_t i = 0; i < count; i += 16)
        peak = _mm512_mask_max_ps(peak, i < full ? 0xFFFF : tail, peak, _mm512_maskz_loadu_ps(i < full ? 0xFFFF : tail, v + i));
    __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(peak));
    __m512 sum = _mm512_setzero_ps();
    for (size_t i = 0; i < count; i += 16) {
        __mmask16 m = i < full ? 0xFFFF : tail;
        __m512 e = _mm512_maskz_mov_ps(m, nk_exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, v + i), top)));
        _mm512_mask_storeu_ps(v + i, m, e);
        sum = _mm512_add_ps(sum, e);
    }
    __m512 inv = _mm512_set1_ps(1 / _mm512_reduce_add_ps(sum));
    for (size_t i = 0; i < count; i += 16) {
        __mmask16 m = i < full ? 0xFFFF : tail;
        _mm512_mask_storeu_ps(v + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, v + i), inv));
    }
}

// MARK: - Entry points

void nk_activate(float *v, size_t count, int activation) {
    if (has_avx512()) activate_avx512(v, count, activation);
    else activate_portable(v, count, activation);
}

void nk_add_layer_norm(float *x, const float *residual, float *out, size_t rows, size_t width,
                       const float *gamma, const float *beta, float eps) {
    if (has_avx512()) layer_norm_avx512(x, residual, out, rows, width, gamma, beta, eps);
    else layer_norm_portable(x, residual, out, rows, width, gamma, beta, eps);
}

void nk_softmax(float *v, size_t count) {
    if (has_avx512()) nk_softmax_avx512(v, count);
    else softmax_portable(v, count);
}
