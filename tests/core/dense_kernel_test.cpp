// The dense scoring kernel (reelrank/dense_kernel.h) against a plain
// double-precision reference, at the extremes, with absent / zero
// embeddings, and for batch sizes and dimensions that are not multiples of
// the SIMD width.
#include "reelrank/dense_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace reelrank {
namespace {

constexpr int H = kNumHeads;

double RefSigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

struct Case {
  int n = 0;
  int dim = 0;
  std::vector<float> e;       // n x dim
  std::vector<bool> has_row;  // per item
  std::vector<float> lu, su;  // unit (or empty = absent)
  std::vector<float> prior, sparse;
  DenseWeights w;
  std::vector<const float*> rows;

  DenseBatch Batch(bool normalize) {
    rows.assign(n, nullptr);
    for (int i = 0; i < n; ++i)
      if (has_row[i]) rows[i] = &e[static_cast<size_t>(i) * dim];
    DenseBatch b;
    b.n = n;
    b.dim = dim;
    b.embeddings = rows.data();
    b.long_interest = lu.empty() ? nullptr : lu.data();
    b.session_interest = su.empty() ? nullptr : su.data();
    b.prior = prior.data();
    b.sparse = sparse.data();
    b.normalize = normalize;
    return b;
  }
};

std::vector<float> RandomUnit(std::mt19937* rng, int dim) {
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<float> v(dim);
  double nn = 0.0;
  for (float& x : v) {
    x = static_cast<float>(u(*rng));
    nn += static_cast<double>(x) * x;
  }
  for (float& x : v) x = static_cast<float>(x / std::sqrt(nn));
  return v;
}

// Random case; `unit`: rows of unit length (else scaled by up to 5).
Case MakeCase(int n, int dim, uint32_t seed, bool unit) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Case c;
  c.n = n;
  c.dim = dim;
  c.e.resize(static_cast<size_t>(n) * dim);
  c.has_row.assign(n, true);
  for (int i = 0; i < n; ++i) {
    std::vector<float> row = RandomUnit(&rng, dim);
    const double scale = unit ? 1.0 : 0.2 + 2.4 * (u(rng) + 1.0);
    for (int d = 0; d < dim; ++d)
      c.e[static_cast<size_t>(i) * dim + d] =
          static_cast<float>(row[d] * scale);
  }
  c.lu = RandomUnit(&rng, dim);
  c.su = RandomUnit(&rng, dim);
  for (int i = 0; i < n; ++i) c.prior.push_back(static_cast<float>(4 * u(rng)));
  for (int i = 0; i < n * H; ++i)
    c.sparse.push_back(static_cast<float>(2 * u(rng)));
  for (int h = 0; h < H; ++h) {
    c.w.bias[h] = static_cast<float>(u(rng));
    c.w.prior[h] = static_cast<float>(0.5 + 0.5 * u(rng));
    c.w.interest_long[h] = static_cast<float>(2 * u(rng));
    c.w.interest_session[h] = static_cast<float>(u(rng));
    c.w.objective[h] = static_cast<float>(u(rng));
  }
  return c;
}

struct Ref {
  std::vector<double> value, p, cl, cs;
};

Ref Reference(const Case& c, bool normalize) {
  Ref r;
  for (int i = 0; i < c.n; ++i) {
    double dl = 0, ds = 0, nn = 0;
    if (c.has_row[i]) {
      const float* e = &c.e[static_cast<size_t>(i) * c.dim];
      for (int d = 0; d < c.dim; ++d) {
        if (!c.lu.empty()) dl += static_cast<double>(e[d]) * c.lu[d];
        if (!c.su.empty()) ds += static_cast<double>(e[d]) * c.su[d];
        nn += static_cast<double>(e[d]) * e[d];
      }
      if (normalize) {
        const double inv = nn > 0 ? 1.0 / std::sqrt(nn) : 0.0;
        dl *= inv;
        ds *= inv;
      }
    }
    r.cl.push_back(dl);
    r.cs.push_back(ds);
    double v = 0;
    for (int h = 0; h < H; ++h) {
      const double z = static_cast<double>(c.w.bias[h]) +
                       static_cast<double>(c.w.prior[h]) * c.prior[i] +
                       static_cast<double>(c.w.interest_long[h]) * dl +
                       static_cast<double>(c.w.interest_session[h]) * ds +
                       c.sparse[static_cast<size_t>(i) * H + h];
      const double p = RefSigmoid(z);
      r.p.push_back(p);
      v += c.w.objective[h] * p;
    }
    r.value.push_back(v);
  }
  return r;
}

struct Out {
  std::vector<float> value, p, cl, cs;
  explicit Out(int n) : value(n), p(static_cast<size_t>(n) * H), cl(n), cs(n) {}
  DenseBatchOutput View() {
    DenseBatchOutput o;
    o.value = value.data();
    o.p = p.data();
    o.cos_long = cl.data();
    o.cos_session = cs.data();
    return o;
  }
};

void ExpectMatches(Case* c, bool normalize) {
  SCOPED_TRACE(testing::Message() << "n=" << c->n << " dim=" << c->dim
                                  << " normalize=" << normalize);
  Out o(c->n);
  ScoreDenseBatch(c->Batch(normalize), c->w, o.View());
  const Ref r = Reference(*c, normalize);
  for (int i = 0; i < c->n; ++i) {
    EXPECT_NEAR(o.cl[i], r.cl[i], 2e-6) << "item " << i;
    EXPECT_NEAR(o.cs[i], r.cs[i], 2e-6) << "item " << i;
    for (int h = 0; h < H; ++h) {
      const double want = r.p[static_cast<size_t>(i) * H + h];
      const double got = o.p[static_cast<size_t>(i) * H + h];
      EXPECT_NEAR(got, want, 2e-6 * want + 1e-7)
          << "item " << i << " head " << h;
    }
    EXPECT_NEAR(o.value[i], r.value[i], 1e-5) << "item " << i;
  }
}

TEST(DenseKernelTest, MatchesDoublePrecisionReference) {
  // n and dim off the 4-lane width on purpose (tails on both axes).
  for (int n : {1, 3, 7, 37, 1000}) {
    for (int dim : {1, 3, 13, 32, 64}) {
      Case c = MakeCase(n, dim, 100u * n + dim, /*unit=*/true);
      ExpectMatches(&c, false);
      Case raw = MakeCase(n, dim, 7u * n + dim, /*unit=*/false);
      ExpectMatches(&raw, true);
    }
  }
}

TEST(DenseKernelTest, AbsentAndZeroEmbeddingsHaveZeroCosines) {
  Case c = MakeCase(11, 13, 5u, /*unit=*/true);
  c.has_row[0] = false;
  c.has_row[4] = false;
  c.has_row[10] = false;
  for (int d = 0; d < c.dim; ++d) c.e[2 * c.dim + d] = 0.0f;  // zero row
  for (bool normalize : {false, true}) {
    Out o(c.n);
    ScoreDenseBatch(c.Batch(normalize), c.w, o.View());
    for (int i : {0, 2, 4, 10}) {
      EXPECT_EQ(o.cl[i], 0.0f) << i;
      EXPECT_EQ(o.cs[i], 0.0f) << i;
    }
    EXPECT_NE(o.cl[1], 0.0f);
    ExpectMatches(&c, normalize);
  }
  // Absent interest vectors: both cosines 0, the rest unchanged.
  c.lu.clear();
  ExpectMatches(&c, false);
  c.su.clear();
  Out o(c.n);
  ScoreDenseBatch(c.Batch(false), c.w, o.View());
  for (int i = 0; i < c.n; ++i) {
    EXPECT_EQ(o.cl[i], 0.0f);
    EXPECT_EQ(o.cs[i], 0.0f);
  }
  ExpectMatches(&c, false);
}

TEST(DenseKernelTest, ExtremeLogitsStayFiniteAndSaturate) {
  Case c = MakeCase(9, 32, 9u, /*unit=*/true);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const float big[] = {1e4f,   -1e4f, 88.0f, -88.0f, 1e30f,
                       -1e30f, inf,   -inf,  nan};
  for (int i = 0; i < c.n; ++i)
    for (int h = 0; h < H; ++h)
      c.sparse[static_cast<size_t>(i) * H + h] = big[i];
  Out o(c.n);
  ScoreDenseBatch(c.Batch(false), c.w, o.View());
  for (int i = 0; i < c.n; ++i) {
    EXPECT_TRUE(std::isfinite(o.value[i])) << i;
    for (int h = 0; h < H; ++h) {
      const float p = o.p[static_cast<size_t>(i) * H + h];
      EXPECT_TRUE(std::isfinite(p)) << i;
      EXPECT_GE(p, 0.0f);
      EXPECT_LE(p, 1.0f);
      if (big[i] > 0) EXPECT_EQ(p, 1.0f) << i;
      if (big[i] < 0 || std::isnan(big[i])) EXPECT_LT(p, 1e-37f) << i;
    }
  }
  EXPECT_EQ(DenseSigmoid(1e4f), 1.0f);
  EXPECT_GT(DenseSigmoid(-1e4f), 0.0f);  // clamped at -87: tiny, not 0
  EXPECT_LT(DenseSigmoid(-1e4f), 1e-37f);
  EXPECT_FALSE(std::isnan(DenseSigmoid(nan)));
  EXPECT_EQ(DenseSigmoid(0.0f), 0.5f);
  EXPECT_EQ(DenseSigmoid(-0.0f), 0.5f);
}

TEST(DenseKernelTest, ExpAndSigmoidRelativeError) {
  double worst_exp = 0, worst_sig = 0;
  for (int k = 0; k <= 200000; ++k) {
    const float x = static_cast<float>(-87.0 * k / 200000.0);
    const double want = std::exp(static_cast<double>(x));
    worst_exp = std::max(worst_exp, std::fabs(DenseExp(x) - want) / want);
    const float z = static_cast<float>(-80.0 + 160.0 * k / 200000.0);
    const double s = RefSigmoid(z);
    worst_sig = std::max(worst_sig, std::fabs(DenseSigmoid(z) - s) / s);
  }
  EXPECT_LT(worst_exp, 1e-6);
  EXPECT_LT(worst_sig, 1e-6);
  // Monotone across 0 and the exp range reduction boundaries.
  float prev = DenseSigmoid(-20.0f);
  for (float z = -20.0f; z <= 20.0f; z += 1.0f / 64) {
    const float s = DenseSigmoid(z);
    EXPECT_GE(s, prev) << z;
    prev = s;
  }
}

TEST(DenseKernelTest, ItemResultDoesNotDependOnBatchOrPosition) {
  Case c = MakeCase(13, 13, 21u, /*unit=*/true);
  Out all(c.n);
  ScoreDenseBatch(c.Batch(false), c.w, all.View());
  for (int i = 0; i < c.n; ++i) {
    // Item i alone, in a batch of one.
    Case one = c;
    one.n = 1;
    one.e.assign(c.e.begin() + static_cast<size_t>(i) * c.dim,
                 c.e.begin() + static_cast<size_t>(i + 1) * c.dim);
    one.has_row = {true};
    one.prior = {c.prior[i]};
    one.sparse.assign(c.sparse.begin() + static_cast<size_t>(i) * H,
                      c.sparse.begin() + static_cast<size_t>(i + 1) * H);
    Out o(1);
    ScoreDenseBatch(one.Batch(false), one.w, o.View());
    EXPECT_EQ(std::memcmp(&o.value[0], &all.value[i], sizeof(float)), 0) << i;
    EXPECT_EQ(std::memcmp(o.p.data(), &all.p[static_cast<size_t>(i) * H],
                          H * sizeof(float)),
              0)
        << i;
  }
}

TEST(DenseKernelTest, OptionalOutputsMayBeNull) {
  Case c = MakeCase(6, 8, 3u, /*unit=*/true);
  Out full(c.n);
  ScoreDenseBatch(c.Batch(false), c.w, full.View());
  std::vector<float> value(c.n);
  DenseBatchOutput o;
  o.value = value.data();
  ScoreDenseBatch(c.Batch(false), c.w, o);
  EXPECT_EQ(value, full.value);
  DenseBatch empty = c.Batch(false);
  empty.n = 0;
  ScoreDenseBatch(empty, c.w, o);  // no items: nothing read or written
}

}  // namespace
}  // namespace reelrank
