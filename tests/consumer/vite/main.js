// A Vite app using the reelrank package on the main thread and in a worker.
import { createRanker, createRankerWorker } from 'reelrank';

const candidates = () => [
  { id: 'a', duration_ms: 12000, server_score: 0.2, tags: ['cats'], embedding: new Float32Array([1, 0, 0, 0]) },
  { id: 'b', duration_ms: 20000, server_score: 0.9, tags: ['cooking'] },
  { id: 'c', duration_ms: 15000, server_score: 0.5, embedding: new Float32Array([0, 1, 0, 0]) },
];

async function main() {
  const ranker = await createRanker({ embeddingDim: 4, persist: false });
  const main = ranker.rank(candidates(), { nowMs: 1_700_000_000_000 });
  await ranker.close();
  const worker = await createRankerWorker({ embeddingDim: 4, persist: false });
  const off = await worker.rank(candidates(), { nowMs: 1_700_000_000_000 });
  await worker.close();
  return {
    order: main.ranked.map((r) => r.id),
    workerOrder: off.ranked.map((r) => r.id),
    same: JSON.stringify(main) === JSON.stringify(off),
  };
}

const out = document.getElementById('out');
main().then(
  (result) => { out.textContent = JSON.stringify(result); out.dataset.status = 'ready'; },
  (e) => { out.textContent = `error: ${e.code ?? ''} ${e.message}`; out.dataset.status = 'error'; },
);
