// The demo's real catalog: KuaiRec 2.0 side information (Gao et al.,
// "KuaiRec: A Fully-observed Dataset and Insights for Evaluating Recommender
// Systems", CIKM 2022; CC BY-SA 4.0). Read at run time from a directory that
// holds kuairec_caption_category.csv and item_categories.csv; nothing of it
// is ever copied into the repository.
//
// Real: video ids, captions, topic tags (hashtags), the 3-level categories
// (top level translated to English by the table below; levels 2 and 3 keep
// their Chinese names) and the 1-4 tag ids per video.
// Made up (deterministically from the video id, listed in each item's
// `synthetic` field): creator, sound, duration, safety labels, maturity,
// server_score and the public engagement counters. KuaiRec has no embeddings
// either: each item's embedding is the normalized sum of seeded random
// vectors for its categories and tag ids, plus a little per-item noise.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { EMBEDDING_DIM, rng, gauss, engagementFor } from './catalog.mjs';

export const KUAIREC_CREDIT = {
  name: 'KuaiRec 2.0',
  authors: 'Gao et al.',
  title: 'KuaiRec: A Fully-observed Dataset and Insights for Evaluating Recommender Systems (CIKM 2022)',
  license: 'CC BY-SA 4.0',
  url: 'https://kuairec.com/',
};

// The 39 first-level category names of kuairec_caption_category.csv, by id.
export const TOP_LEVEL_ENGLISH = {
  '-124': ['UNKNOWN', 'Unknown'],
  1: ['舞蹈', 'Dance'],
  2: ['音乐', 'Music'],
  3: ['游戏', 'Gaming'],
  4: ['美妆', 'Makeup'],
  5: ['时尚', 'Fashion'],
  6: ['明星娱乐', 'Celebrities'],
  7: ['运动', 'Sports'],
  8: ['颜值', 'Good looks'],
  9: ['喜剧', 'Comedy'],
  10: ['旅游', 'Travel'],
  11: ['生活', 'Daily life'],
  12: ['美食', 'Food'],
  13: ['三农', 'Farming & rural life'],
  14: ['教育', 'Education'],
  15: ['艺术', 'Art'],
  16: ['健康', 'Health'],
  17: ['宠物', 'Pets'],
  18: ['汽车', 'Cars'],
  19: ['情感', 'Relationships'],
  20: ['二次元', 'Anime & comics'],
  21: ['人文', 'Humanities'],
  22: ['财经', 'Finance'],
  23: ['时政资讯', 'Politics & current affairs'],
  24: ['星座命理', 'Astrology'],
  25: ['亲子', 'Parenting'],
  26: ['摄影', 'Photography'],
  27: ['高新数码', 'Tech & gadgets'],
  28: ['民生资讯', 'Local news'],
  29: ['科学与法律', 'Science & law'],
  31: ['健身', 'Fitness'],
  32: ['短剧', 'Short drama'],
  33: ['自拍', 'Selfies'],
  34: ['其他', 'Other'],
  35: ['军事', 'Military'],
  36: ['房产家居', 'Home & real estate'],
  37: ['奇人异象', 'Oddities'],
  38: ['读书', 'Books'],
  39: ['影视综', 'Film, TV & variety'],
};

// One CSV record (RFC 4180 quoting) into fields.
function parseRecord(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

// Records are split on \n only: four captions contain a bare \r.
function records(file) {
  const text = readFileSync(file, 'utf8');
  return text.split('\n').slice(1).filter((l) => l.length > 0).map(parseRecord);
}

function hashString(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function unitVector(seed) {
  const r = rng(seed);
  const v = Array.from({ length: EMBEDDING_DIM }, () => gauss(r));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** True when `dir` holds the two KuaiRec files the demo reads. */
export function isKuaiRecDir(dir) {
  return existsSync(path.join(dir, 'kuairec_caption_category.csv')) &&
    existsSync(path.join(dir, 'item_categories.csv'));
}

const UNSAFE = ['violence', 'adult', 'scam', 'hate', 'self_harm', 'dangerous_acts'];

/**
 * Loads the KuaiRec catalog from `dir`, in the item shape of catalog.mjs.
 * Deterministic: same files, same items.
 */
export function loadKuaiRec(dir) {
  const feats = new Map();
  for (const [id, feat] of records(path.join(dir, 'item_categories.csv'))) {
    feats.set(id, (feat.match(/\d+/g) ?? []).map(Number));
  }
  const vectors = new Map();
  const vec = (key) => {
    if (!vectors.has(key)) vectors.set(key, unitVector(hashString(key)));
    return vectors.get(key);
  };
  const items = [];
  for (const f of records(path.join(dir, 'kuairec_caption_category.csv'))) {
    if (f.length !== 10) continue;
    const [videoId, coverText, caption, topicTag, l1Id, , l2Id, l2Name, l3Id, l3Name] = f;
    const [, english] = TOP_LEVEL_ENGLISH[l1Id] ?? [null, 'Unknown'];
    const hashtags = topicTag.replace(/^\[|\]$/g, '').split(',').map((t) => t.trim()).filter(Boolean);
    const tagIds = feats.get(videoId) ?? [];
    const r = rng(hashString(`kuairec:${videoId}`));
    // Embedding: category levels and tag ids, weighted, plus item noise.
    const emb = new Array(EMBEDDING_DIM).fill(0);
    const add = (v, w) => v.forEach((x, i) => { emb[i] += w * x; });
    add(vec(`l1:${l1Id}`), 1.0);
    if (l2Id !== '-124') add(vec(`l2:${l2Id}`), 0.6);
    if (l3Id !== '-124') add(vec(`l3:${l3Id}`), 0.4);
    for (const t of tagIds) add(vec(`tag:${t}`), 0.3);
    for (let i = 0; i < EMBEDDING_DIM; i++) emb[i] += 0.15 * gauss(r) / Math.sqrt(EMBEDDING_DIM);
    const norm = Math.hypot(...emb) || 1;
    // Synthetic fields (KuaiRec's side information has none of these).
    const creatorSlot = Math.floor(r() * 8);
    const durationS = Math.round(Math.exp(Math.log(6) + r() * Math.log(180 / 6)));
    const safety = {};
    const roll = r();
    if (roll < 0.03) safety[UNSAFE[Math.floor(r() * UNSAFE.length)]] = 0.7 + 0.3 * r();
    else if (roll < 0.08) safety.low_quality = 0.6 + 0.4 * r();
    else if (roll < 0.1) safety.sensitive = 0.6 + 0.4 * r();
    const serverScore = Math.round((0.15 + 0.7 * r()) * 1e4) / 1e4;
    let text = caption.replace(/\s+/g, ' ').trim();
    if (!text && coverText !== 'UNKNOWN') text = coverText.trim();
    items.push({
      id: `k${videoId}`,
      caption: text,
      tags: hashtags,
      category: english,
      categories: [english, l2Id === '-124' ? null : l2Name, l3Id === '-124' ? null : l3Name],
      tag_ids: tagIds,
      author: `kuai_${english.toLowerCase().replace(/[^a-z]+/g, '_')}_${creatorSlot}`,
      sound: `sound_${Number(l1Id) > 0 ? l1Id : 0}_${Math.floor(r() * 5)}`,
      duration_ms: durationS * 1000,
      created_at: Date.UTC(2020, 6, 5) + Math.floor(r() * 60 * 86400e3),
      embedding: emb.map((x) => Math.round((x / norm) * 1e5) / 1e5),
      safety,
      maturity: r() < 0.05 ? 2 : r() < 0.15 ? 1 : 0,
      server_score: serverScore,
      engagement: engagementFor(r, serverScore),
      synthetic: ['author', 'sound', 'duration_ms', 'created_at', 'safety', 'maturity', 'server_score', 'engagement'],
    });
  }
  return items;
}
