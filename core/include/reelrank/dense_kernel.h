// Dense scoring kernel: the dense part of reelrank's scoring over a batch of
// items, the inner loop of Ranker::Rank.
//
// For every item i and head h (kNumHeads heads):
//   cos_long_i    = <e_i, long>,  cos_session_i = <e_i, session>
//   z_ih          = bias_h + prior_w_h * prior_i + long_w_h * cos_long_i
//                   + session_w_h * cos_session_i + sparse_ih
//                   + gate_h * sparse_personal_ih
//   p_ih          = sigmoid(z_ih)
//   value_i       = sum_h objective_h * p_ih
// where e_i is item i's embedding (unit length in the ranker; divided by its
// norm first when `normalize` is set), `long` / `session` are the two
// interest vectors as given (a cosine when they are unit), and an absent or
// all-zero embedding or interest vector gives 0.
//
//   DenseBatch in;  in.n = n;  in.dim = 32;  in.embeddings = rows; ...
//   DenseBatchOutput out;  out.value = values;  out.p = probs;
//   ScoreDenseBatch(in, weights, out);
//
// Contract:
// - Single precision throughout, with a polynomial exp (relative error about
//   2e-7 on its whole range): p differs from a double-precision sigmoid by at
//   most ~1e-6 relative.
// - Every output is finite for finite inputs, and 0 <= p_ih <= 1. Logits are
//   clamped to [-87, 87] before exp, so nothing overflows; a NaN logit gives
//   p = sigmoid(-87) (about 1.6e-38), never NaN.
// - An item's outputs depend only on its own inputs and the weights: not on
//   n, its position in the batch, or the other items (the batch is vectorized
//   across heads and across the embedding, never across items).
// - No allocation; the outputs may not alias the inputs. Uses wasm SIMD128
//   under -msimd128, SSE2 on x86, a scalar fallback elsewhere, with the same
//   operation order on every path.
#ifndef REELRANK_DENSE_KERNEL_H_
#define REELRANK_DENSE_KERNEL_H_

#include <array>

#include "reelrank/heads.h"

namespace reelrank {

// Per-head weights of the dense part (global model pack + personal delta).
struct DenseWeights {
  std::array<float, kNumHeads> bias{};
  std::array<float, kNumHeads> prior{};
  std::array<float, kNumHeads> interest_long{};
  std::array<float, kNumHeads> interest_session{};
  std::array<float, kNumHeads> objective{};  // value = sum_h objective_h p_h
  // Multiplier of DenseBatch::sparse_personal (unused when that is null).
  std::array<float, kNumHeads> gate{};
};

// Inputs of one batch; pointers are borrowed for the call.
struct DenseBatch {
  int n = 0;    // items
  int dim = 0;  // embedding dimension
  // n row pointers, each to `dim` floats; a null row = no embedding.
  const float* const* embeddings = nullptr;
  // Interest vectors (`dim` floats) or null when absent / zero.
  const float* long_interest = nullptr;
  const float* session_interest = nullptr;
  const float* prior = nullptr;   // n prior logits
  const float* sparse = nullptr;  // n x kNumHeads sparse logit sums, row-major
  // n x kNumHeads sums added times DenseWeights::gate; null = none.
  const float* sparse_personal = nullptr;
  // Divide each embedding by its L2 norm (0 when the norm is 0) before the
  // cosines. The ranker's embeddings are unit already and leave this off.
  bool normalize = false;
};

// Outputs; every pointer except `value` may be null (not written).
struct DenseBatchOutput {
  float* value = nullptr;        // n
  float* p = nullptr;            // n x kNumHeads, row-major
  float* cos_long = nullptr;     // n
  float* cos_session = nullptr;  // n
};

void ScoreDenseBatch(const DenseBatch& in, const DenseWeights& w,
                     const DenseBatchOutput& out);

// The kernel's sigmoid and exp on one value (same bits as inside the batch).
// DenseExp is for x in [-87, 0] (clamped to it).
float DenseSigmoid(float z);
float DenseExp(float x);

}  // namespace reelrank

#endif  // REELRANK_DENSE_KERNEL_H_
