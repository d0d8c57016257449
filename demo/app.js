// The demo feed: fetch candidates from the demo server, rank them on the
// device with reelrank, show the top one full screen.
import { createRanker } from '/web/index.js';

const $ = (id) => document.getElementById(id);

function toCandidate(item) {
  return {
    id: item.id,
    author: item.creator,
    tags: item.hashtags,
    category: item.category,
    sound: item.sound,
    caption: item.caption,
    duration_ms: item.duration_ms,
    created_at: item.created_at,
    maturity: item.maturity,
    safety: item.safety,
    server_score: item.server_score,
    embedding: Float32Array.from(item.embedding),
  };
}

function show(item) {
  $('creator').textContent = `@${item.creator}`;
  $('caption').textContent = item.caption;
  $('tags').textContent = item.hashtags.map((t) => `#${t}`).join(' ');
  $('item').dataset.id = item.id;
  $('item').hidden = false;
}

async function main() {
  const ranker = await createRanker({ embeddingDim: 32, seed: 1 });
  const res = await fetch('/api/candidates?cursor=0&n=50');
  if (!res.ok) throw new Error(`candidates: HTTP ${res.status}`);
  const { items } = await res.json();
  const { ranked } = ranker.rank(items.map(toCandidate), { now_ms: Date.now(), hour_of_day: new Date().getHours() });
  show(items[ranked[0].index]);
  $('status').textContent = 'ready';
}

main().catch((e) => {
  $('status').textContent = `error: ${e.message}`;
  console.error(e);
});
