// The demo's default catalog: generated deterministically (seeded), so the
// demo works on any machine without external data. Items span topics,
// creators, sounds and durations; some carry unsafe or low-quality labels so
// the policy has visible work to do; a few are `sensitive` (shown behind a
// warning).

export const EMBEDDING_DIM = 32;

export const TOPICS = [
  'cooking', 'fitness', 'travel', 'comedy', 'music', 'dance', 'pets', 'gaming',
  'fashion', 'science', 'diy', 'cars', 'art', 'books', 'nature', 'football',
  'beauty', 'tech', 'history', 'gardening',
];

// Small, fast, seedable PRNG (mulberry32).
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(r) {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

const WORDS = {
  cooking: ['pasta', 'ramen', 'knife skills', 'sourdough', 'street food'],
  fitness: ['leg day', 'mobility', 'home workout', 'running form', 'kettlebell'],
  travel: ['Lisbon', 'night train', 'hidden beach', 'Kyoto', 'road trip'],
  comedy: ['sketch', 'prank', 'office life', 'stand-up', 'parody'],
  music: ['guitar riff', 'cover', 'beat making', 'piano', 'live set'],
  dance: ['choreo', 'footwork', 'duet', 'tutorial', 'freestyle'],
  pets: ['puppy', 'cat zoomies', 'parrot', 'rescue dog', 'hamster'],
  gaming: ['speedrun', 'boss fight', 'retro', 'clutch', 'mod'],
  fashion: ['thrift haul', 'outfit', 'sneakers', 'capsule wardrobe', 'styling'],
  science: ['physics trick', 'chemistry', 'space', 'microscope', 'experiment'],
  diy: ['woodwork', 'repair', 'upcycle', 'shelf build', 'tool tip'],
  cars: ['restoration', 'drift', 'detailing', 'EV review', 'engine swap'],
  art: ['watercolor', 'sketchbook', 'clay', 'mural', 'ink'],
  books: ['review', 'reading vlog', 'poetry', 'classics', 'tbr'],
  nature: ['waterfall', 'birdsong', 'storm', 'forest walk', 'tide pools'],
  football: ['free kick', 'skills', 'highlights', 'tactics', 'training'],
  beauty: ['skincare', 'makeup look', 'hair', 'nails', 'routine'],
  tech: ['gadget', 'coding', 'keyboard', 'setup tour', 'AI demo'],
  history: ['ancient Rome', 'castles', 'WW1 facts', 'maps', 'artifacts'],
  gardening: ['tomatoes', 'houseplants', 'compost', 'balcony garden', 'seeds'],
};

/**
 * Public aggregate counters of one item (what a platform shows under every
 * video), drawn from `r` and loosely tied to the item's server score. The
 * creator tab's trends are computed from these; they hold no personal data.
 */
export function engagementFor(r, serverScore) {
  const views = Math.round(Math.exp(Math.log(200) + r() * Math.log(2e6 / 200)));
  const likeRate = 0.01 + 0.12 * serverScore * r();
  return {
    views,
    likes: Math.round(views * likeRate),
    shares: Math.round(views * likeRate * (0.05 + 0.2 * r())),
    comments: Math.round(views * likeRate * (0.02 + 0.1 * r())),
  };
}

// Safety labels: these six are dropped by the default policy; `sensitive`
// asks for an interstitial in the demo's policy.
const UNSAFE = ['violence', 'adult', 'scam', 'hate', 'self_harm', 'dangerous_acts'];

/**
 * Builds the catalog. Same seed, same items.
 * @param {{size?: number, seed?: number}} options
 */
export function generateCatalog({ size = 3000, seed = 20261127 } = {}) {
  const r = rng(seed);
  const centroids = TOPICS.map(() => {
    const v = Array.from({ length: EMBEDDING_DIM }, () => gauss(r));
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
  const creators = Array.from({ length: 240 }, (_, i) => ({
    id: `creator_${i}`,
    topic: i % TOPICS.length,
    quality: 0.3 + 0.7 * r(),
  }));
  const moods = ['Lo-fi', 'Sunny', 'Midnight', 'Neon', 'Dusty', 'Velvet', 'Paper', 'Golden', 'Rainy', 'Electric', 'Hollow', 'Bright'];
  const kinds = ['groove', 'piano', 'beat', 'strings', 'chant', 'synth', 'drums', 'whistle', 'bass', 'choir'];
  const sounds = Array.from({ length: 120 }, (_, i) => `${moods[i % 12]} ${kinds[Math.floor(i / 12)]}`);
  const items = [];
  for (let i = 0; i < size; i++) {
    const creator = creators[Math.floor(r() * creators.length)];
    const topicIndex = r() < 0.85 ? creator.topic : Math.floor(r() * TOPICS.length);
    const topic = TOPICS[topicIndex];
    const secondTopic = TOPICS[Math.floor(r() * TOPICS.length)];
    const word = WORDS[topic][Math.floor(r() * WORDS[topic].length)];
    const emb = centroids[topicIndex].map((x) => x + 0.35 * gauss(r) / Math.sqrt(EMBEDDING_DIM));
    const norm = Math.hypot(...emb);
    const durationS = Math.round(Math.exp(Math.log(6) + r() * Math.log(180 / 6)));
    const safety = {};
    const roll = r();
    if (roll < 0.04) safety[UNSAFE[Math.floor(r() * UNSAFE.length)]] = 0.7 + 0.3 * r();
    else if (roll < 0.1) safety.low_quality = 0.6 + 0.4 * r();
    else if (roll < 0.14) safety.clickbait = 0.6 + 0.4 * r();
    else if (roll < 0.2) safety.high_quality = 0.6 + 0.4 * r();
    else if (roll < 0.23) safety.sensitive = 0.6 + 0.4 * r();
    const tags = [topic, word.replace(/\s+/g, '').toLowerCase()];
    if (secondTopic !== topic && r() < 0.3) tags.push(secondTopic);
    const serverScore = Math.round((0.15 + 0.7 * creator.quality * (0.6 + 0.4 * r())) * 1e4) / 1e4;
    items.push({
      id: `v${String(i).padStart(5, '0')}`,
      caption: `${word[0].toUpperCase()}${word.slice(1)} #${tags.join(' #')}`,
      tags,
      category: topic,
      author: creator.id,
      sound: sounds[(topicIndex * 6 + Math.floor(r() * 6)) % sounds.length],
      duration_ms: durationS * 1000,
      created_at: Date.UTC(2026, 9, 1) + Math.floor(r() * 50 * 86400e3),
      embedding: emb.map((x) => Math.round((x / norm) * 1e5) / 1e5),
      safety,
      maturity: r() < 0.08 ? 2 : r() < 0.2 ? 1 : 0,
      server_score: serverScore,
      engagement: engagementFor(r, serverScore),
    });
  }
  return items;
}
