#include "reelrank/dense_kernel.h"

#include <cmath>
#include <cstdint>
#include <cstring>

// REELRANK_DENSE_SCALAR forces the portable path (to test it on x86).
#if defined(__wasm_simd128__) && !defined(REELRANK_DENSE_SCALAR)
#include <wasm_simd128.h>
#define REELRANK_DENSE_WASM 1
#elif defined(__SSE2__) && !defined(REELRANK_DENSE_SCALAR)
#include <emmintrin.h>
#define REELRANK_DENSE_SSE2 1
#endif

namespace reelrank {
namespace {

// A 4-lane float vector with the handful of operations the kernel needs.
// Every path performs the same IEEE single-precision operations in the same
// order (no fused multiply-add), so the three give the same bits.
#if defined(REELRANK_DENSE_WASM)
using V = v128_t;
inline V Load(const float* p) { return wasm_v128_load(p); }
inline void Store(float* p, V v) { wasm_v128_store(p, v); }
inline V Splat(float x) { return wasm_f32x4_splat(x); }
inline V Add(V a, V b) { return wasm_f32x4_add(a, b); }
inline V Sub(V a, V b) { return wasm_f32x4_sub(a, b); }
inline V Mul(V a, V b) { return wasm_f32x4_mul(a, b); }
inline V Div(V a, V b) { return wasm_f32x4_div(a, b); }
inline V Abs(V a) { return wasm_f32x4_abs(a); }
// a < b ? a : c, lane-wise (false for NaN a).
inline V LtSelect(V a, V b, V c) {
  return wasm_v128_bitselect(a, c, wasm_f32x4_lt(a, b));
}
// z >= 0 ? x : y, lane-wise (y for NaN z).
inline V GeZeroSelect(V z, V x, V y) {
  return wasm_v128_bitselect(x, y, wasm_f32x4_ge(z, wasm_f32x4_splat(0.0f)));
}
// 2^n for integer-valued n in [-126, 127].
inline V Pow2(V n) {
  const v128_t i = wasm_i32x4_trunc_sat_f32x4(n);
  return wasm_i32x4_shl(wasm_i32x4_add(i, wasm_i32x4_splat(127)), 23);
}
// (v0 + v2) + (v1 + v3).
inline float HSum(V v) {
  const V s = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1);
}
#elif defined(REELRANK_DENSE_SSE2)
using V = __m128;
inline V Load(const float* p) { return _mm_loadu_ps(p); }
inline void Store(float* p, V v) { _mm_storeu_ps(p, v); }
inline V Splat(float x) { return _mm_set1_ps(x); }
inline V Add(V a, V b) { return _mm_add_ps(a, b); }
inline V Sub(V a, V b) { return _mm_sub_ps(a, b); }
inline V Mul(V a, V b) { return _mm_mul_ps(a, b); }
inline V Div(V a, V b) { return _mm_div_ps(a, b); }
inline V Abs(V a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
inline V Select(V m, V x, V y) {
  return _mm_or_ps(_mm_and_ps(m, x), _mm_andnot_ps(m, y));
}
inline V LtSelect(V a, V b, V c) { return Select(_mm_cmplt_ps(a, b), a, c); }
inline V GeZeroSelect(V z, V x, V y) {
  return Select(_mm_cmpge_ps(z, _mm_setzero_ps()), x, y);
}
inline V Pow2(V n) {
  const __m128i i = _mm_cvttps_epi32(n);
  return _mm_castsi128_ps(
      _mm_slli_epi32(_mm_add_epi32(i, _mm_set1_epi32(127)), 23));
}
inline float HSum(V v) {
  const V s = _mm_add_ps(v, _mm_movehl_ps(v, v));  // v0 + v2, v1 + v3
  return _mm_cvtss_f32(s) + _mm_cvtss_f32(_mm_shuffle_ps(s, s, 1));
}
#else
struct V {
  float x[4];
};
template <typename F>
inline V Map(V a, V b, F f) {
  V r;
  for (int k = 0; k < 4; ++k) r.x[k] = f(a.x[k], b.x[k]);
  return r;
}
inline V Load(const float* p) {
  V r;
  std::memcpy(r.x, p, sizeof(r.x));
  return r;
}
inline void Store(float* p, V v) { std::memcpy(p, v.x, sizeof(v.x)); }
inline V Splat(float x) { return V{{x, x, x, x}}; }
inline V Add(V a, V b) {
  return Map(a, b, [](float x, float y) { return x + y; });
}
inline V Sub(V a, V b) {
  return Map(a, b, [](float x, float y) { return x - y; });
}
inline V Mul(V a, V b) {
  return Map(a, b, [](float x, float y) { return x * y; });
}
inline V Div(V a, V b) {
  return Map(a, b, [](float x, float y) { return x / y; });
}
inline V Abs(V a) {
  return Map(a, a, [](float x, float) { return std::fabs(x); });
}
inline V LtSelect(V a, V b, V c) {
  V r;
  for (int k = 0; k < 4; ++k) r.x[k] = a.x[k] < b.x[k] ? a.x[k] : c.x[k];
  return r;
}
inline V GeZeroSelect(V z, V x, V y) {
  V r;
  for (int k = 0; k < 4; ++k) r.x[k] = z.x[k] >= 0.0f ? x.x[k] : y.x[k];
  return r;
}
inline V Pow2(V n) {
  V r;
  for (int k = 0; k < 4; ++k) {
    const uint32_t bits =
        static_cast<uint32_t>(static_cast<int32_t>(n.x[k]) + 127) << 23;
    std::memcpy(&r.x[k], &bits, sizeof(bits));
  }
  return r;
}
inline float HSum(V v) { return (v.x[0] + v.x[2]) + (v.x[1] + v.x[3]); }
#endif

constexpr float kMaxAbsLogit = 87.0f;  // exp(-87) is a normal float
constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f;  // ln 2 = kLn2Hi + kLn2Lo
constexpr float kLn2Lo = -2.12194440e-4f;
constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23

// exp(x) for x in [-87, 0] (Cephes expf: x = n ln2 + r, |r| <= ln2 / 2,
// exp(r) by a degree-7 polynomial, times 2^n). Relative error about 2e-7.
inline V Exp(V x) {
  const V t = Add(Mul(x, Splat(kLog2e)), Splat(kRoundMagic));
  const V n = Sub(t, Splat(kRoundMagic));  // round(x log2 e), exact
  const V r = Sub(Sub(x, Mul(n, Splat(kLn2Hi))), Mul(n, Splat(kLn2Lo)));
  V p = Splat(1.9875691500e-4f);
  p = Add(Mul(p, r), Splat(1.3981999507e-3f));
  p = Add(Mul(p, r), Splat(8.3334519073e-3f));
  p = Add(Mul(p, r), Splat(4.1665795894e-2f));
  p = Add(Mul(p, r), Splat(1.6666665459e-1f));
  p = Add(Mul(p, r), Splat(5.0000001201e-1f));
  const V y = Add(Add(Mul(Mul(p, r), r), r), Splat(1.0f));
  return Mul(y, Pow2(n));
}

// sigmoid(z) = 1 / (1 + e) for z >= 0, e / (1 + e) otherwise, with
// e = exp(-min(|z|, 87)); a NaN z takes the second branch with e = exp(-87).
inline V Sigmoid(V z) {
  const V a = LtSelect(Abs(z), Splat(kMaxAbsLogit), Splat(kMaxAbsLogit));
  const V e = Exp(Sub(Splat(0.0f), a));
  const V d = Add(Splat(1.0f), e);
  return GeZeroSelect(z, Div(Splat(1.0f), d), Div(e, d));
}

// Dot products of one row with the two interest vectors (and with itself
// when `normalize`), 4 lanes at a time then a scalar tail.
struct Dots {
  float l = 0.0f, s = 0.0f, nn = 0.0f;
};
inline Dots RowDots(const float* e, const float* lu, const float* su, int dim,
                    bool normalize) {
  Dots d;
  V al = Splat(0.0f), as = Splat(0.0f), an = Splat(0.0f);
  int k = 0;
  const int d4 = dim & ~3;
  if (lu && su) {
    for (; k < d4; k += 4) {
      const V x = Load(e + k);
      al = Add(al, Mul(x, Load(lu + k)));
      as = Add(as, Mul(x, Load(su + k)));
      if (normalize) an = Add(an, Mul(x, x));
    }
  } else {
    for (; k < d4; k += 4) {
      const V x = Load(e + k);
      if (lu) al = Add(al, Mul(x, Load(lu + k)));
      if (su) as = Add(as, Mul(x, Load(su + k)));
      if (normalize) an = Add(an, Mul(x, x));
    }
  }
  d.l = HSum(al);
  d.s = HSum(as);
  d.nn = HSum(an);
  for (; k < dim; ++k) {
    if (lu) d.l += e[k] * lu[k];
    if (su) d.s += e[k] * su[k];
    if (normalize) d.nn += e[k] * e[k];
  }
  return d;
}

}  // namespace

float DenseExp(float x) {
  const float c = x > 0.0f ? 0.0f : (x > -kMaxAbsLogit ? x : -kMaxAbsLogit);
  float out[4];
  Store(out, Exp(Splat(c)));
  return out[0];
}

float DenseSigmoid(float z) {
  float out[4];
  Store(out, Sigmoid(Splat(z)));
  return out[0];
}

void ScoreDenseBatch(const DenseBatch& in, const DenseWeights& w,
                     const DenseBatchOutput& out) {
  static_assert(kNumHeads == 8, "the kernel holds the heads in two vectors");
  const V bias0 = Load(&w.bias[0]), bias1 = Load(&w.bias[4]);
  const V wp0 = Load(&w.prior[0]), wp1 = Load(&w.prior[4]);
  const V wl0 = Load(&w.interest_long[0]), wl1 = Load(&w.interest_long[4]);
  const V ws0 = Load(&w.interest_session[0]);
  const V ws1 = Load(&w.interest_session[4]);
  const V ob0 = Load(&w.objective[0]), ob1 = Load(&w.objective[4]);
  const V g0 = Load(&w.gate[0]), g1 = Load(&w.gate[4]);
  const float* lu = in.long_interest;
  const float* su = in.session_interest;
  const bool any_interest = (lu || su) && in.dim > 0;
  for (int i = 0; i < in.n; ++i) {
    float cl = 0.0f, cs = 0.0f;
    const float* e = in.embeddings ? in.embeddings[i] : nullptr;
    if (e && any_interest) {
      const Dots d = RowDots(e, lu, su, in.dim, in.normalize);
      if (in.normalize) {
        const float inv = d.nn > 0.0f ? 1.0f / std::sqrt(d.nn) : 0.0f;
        cl = d.l * inv;
        cs = d.s * inv;
      } else {
        cl = d.l;
        cs = d.s;
      }
    }
    const V pr = Splat(in.prior[i]);
    const V vl = Splat(cl), vs = Splat(cs);
    const float* sp = in.sparse + static_cast<size_t>(i) * kNumHeads;
    V z0 = Add(Add(Add(Add(bias0, Mul(wp0, pr)), Mul(wl0, vl)), Mul(ws0, vs)),
               Load(sp));
    V z1 = Add(Add(Add(Add(bias1, Mul(wp1, pr)), Mul(wl1, vl)), Mul(ws1, vs)),
               Load(sp + 4));
    if (in.sparse_personal) {
      const float* pp = in.sparse_personal + static_cast<size_t>(i) * kNumHeads;
      z0 = Add(z0, Mul(g0, Load(pp)));
      z1 = Add(z1, Mul(g1, Load(pp + 4)));
    }
    const V p0 = Sigmoid(z0), p1 = Sigmoid(z1);
    out.value[i] = HSum(Add(Mul(ob0, p0), Mul(ob1, p1)));
    if (out.p) {
      float* po = out.p + static_cast<size_t>(i) * kNumHeads;
      Store(po, p0);
      Store(po + 4, p1);
    }
    if (out.cos_long) out.cos_long[i] = cl;
    if (out.cos_session) out.cos_session[i] = cs;
  }
}

}  // namespace reelrank
