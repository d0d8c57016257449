// FTRL-Proximal: a per-coordinate adaptive online learner (McMahan et al.,
// "Ad Click Prediction: a View from the Trenches", 2013).
//
// Each coordinate keeps two numbers (z, n). The weight is a closed form of
// them, so an untouched coordinate costs nothing and a coordinate's learning
// rate alpha / (beta + sqrt(n)) shrinks as its evidence grows. L1 keeps rare
// coordinates at exactly 0; L2 shrinks toward 0. In reelrank the learned
// weight is a *personal delta* on top of the model pack's global weight, so
// the regularizers shrink a user toward the prior while evidence is thin.
//
//   FtrlCoord c;
//   double w = FtrlWeight(c, params);            // 0
//   FtrlUpdate(gradient, params, &c);            // learn
#ifndef REELRANK_FTRL_H_
#define REELRANK_FTRL_H_

#include <cmath>

namespace reelrank {

struct FtrlParams {
  double alpha = 0.5;  // learning-rate scale, > 0
  double beta = 1.0;   // learning-rate smoothing, >= 0
  double l1 = 0.0;     // L1 strength, >= 0 (sparsity: |z| <= l1 -> weight 0)
  double l2 = 1.0;     // L2 strength, >= 0 (shrinks the delta toward 0)
};

// State of one coordinate. Floats keep the profile small; all arithmetic is
// done in double and is deterministic.
struct FtrlCoord {
  float z = 0.0f;
  float n = 0.0f;
};

// The coordinate's current weight.
inline double FtrlWeight(const FtrlCoord& c, const FtrlParams& p) {
  const double z = c.z;
  if (std::fabs(z) <= p.l1) return 0.0;
  const double sign = z < 0.0 ? -1.0 : 1.0;
  return -(z - sign * p.l1) /
         ((p.beta + std::sqrt(static_cast<double>(c.n))) / p.alpha + p.l2);
}

// One FTRL-Proximal step with gradient `g` (d loss / d weight) for this
// coordinate.
inline void FtrlUpdate(double g, const FtrlParams& p, FtrlCoord* c) {
  const double w = FtrlWeight(*c, p);
  const double n_old = c->n;
  const double n_new = n_old + g * g;
  const double sigma = (std::sqrt(n_new) - std::sqrt(n_old)) / p.alpha;
  c->z = static_cast<float>(c->z + g - sigma * w);
  c->n = static_cast<float>(n_new);
}

}  // namespace reelrank

#endif  // REELRANK_FTRL_H_
