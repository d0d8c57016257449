// The evaluated path is the shipped path: the native evaluator
// (tests/eval, reelrank_eval) records every rank / next / observe call it
// makes on a generated KuaiRand-shaped log (--trace), and the same calls
// replayed through the wasm package (web/index.js, createRanker with the
// same config and model pack) must give the same order, the same values and
// heads (to float precision), the same picks and the same accepted events.
// The evaluated model pack is checked to be the one `reelrank_train` makes
// from the views the evaluator exports (--export-views). Needs the native
// build (tests/run.sh builds native-release first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRanker, HEADS } from '../../web/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = process.env.REELRANK_NATIVE_BUILD ?? join(ROOT, 'build', 'native-release');
const EVAL = join(BIN, 'tests', 'eval', 'reelrank_eval');
const TRAIN = join(BIN, 'reelrank_train');

// Deterministic generator (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A KuaiRand-1K-shaped log: users with a favourite tag watch its videos
// longer; columns as reelrank_eval reads them.
function writeData(dir, seed) {
  const r = rng(seed);
  const videos = ['video_id,author_id,video_type,upload_dt,upload_type,visible_status,'
    + 'video_duration,server_width,server_height,music_id,music_type,tag'];
  const V = 240;
  const vids = [];
  for (let v = 0; v < V; v++) {
    const tag = Math.floor(r() * 8);
    const dur = r() < 0.05 ? 0 : 5000 + Math.floor(r() * 60000);
    vids.push({ tag, dur });
    videos.push(`${v},${Math.floor(r() * 60)},NORMAL,2022-04-${10 + (v % 9)},Import,1.0,`
      + `${dur}.0,720.0,1280.0,${1000 + (v % 17)},9.0,"${tag}"`);
  }
  const header = 'user_id,video_id,date,hourmin,time_ms,is_click,is_like,is_follow,is_comment,'
    + 'is_forward,is_hate,long_view,play_time_ms,duration_ms,profile_stay_time,'
    + 'comment_stay_time,is_profile_enter,is_rand,tab';
  const logs = { prior: [header], eval: [header] };
  for (let u = 0; u < 40; u++) {
    const fav = u % 8;
    let t = 1651314030792 + u * 3_600_000;
    const rows = 30 + Math.floor(r() * 30);
    for (let i = 0; i < rows; i++) {
      const v = Math.floor(r() * V);
      const { tag, dur } = vids[v];
      const d = dur || 10000;
      const share = Math.min(1, (tag === fav ? 0.9 : 0.3) * (0.5 + r()));
      const play = Math.floor(d * share);
      const long = play >= Math.min(d, 18000) ? 1 : 0;
      const like = tag === fav && r() < 0.2 ? 1 : 0;
      const hate = tag !== fav && r() < 0.02 ? 1 : 0;
      const hh = 8 + (i % 14);
      (u < 28 ? logs.prior : logs.eval).push(
        `${u},${v},20220430,${hh}00,${t},1,${like},0,0,0,${hate},${long},${play},${dur},0,0,0,1,1`);
      t += play + 2000 + Math.floor(r() * 60000);
    }
  }
  writeFileSync(join(dir, 'videos.csv'), `${videos.join('\n')}\n`);
  writeFileSync(join(dir, 'prior.csv'), `${logs.prior.join('\n')}\n`);
  writeFileSync(join(dir, 'eval.csv'), `${logs.eval.join('\n')}\n`);
}

const close = (a, b, what) => {
  assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: wasm ${a}, native ${b}`);
};

async function replay(config, pack, ops, label) {
  const ranker = await createRanker({ persist: false, config });
  if (pack) ranker.loadModelPack(pack);
  let ranks = 0; let nexts = 0; let observed = 0;
  for (const [n, op] of ops.entries()) {
    const where = `${label} op ${n} (${op.op})`;
    if (op.op === 'rank') {
      const res = ranker.rank(op.candidates, op.context);
      assert.deepEqual(res.ranked.map((x) => x.id), op.ranked.map((x) => x.id), `${where}: order`);
      assert.deepEqual(res.dropped.map((x) => x.id), op.dropped, `${where}: dropped`);
      res.ranked.forEach((x, i) => {
        close(x.value, op.ranked[i].value, `${where}: value of ${x.id}`);
        HEADS.forEach((h, k) => close(x.heads[h], op.ranked[i].heads[k], `${where}: ${h} of ${x.id}`));
      });
      ranks++;
    } else if (op.op === 'next') {
      const next = ranker.next(op.context);
      assert.equal(next ? next.id : null, op.id, `${where}: pick`);
      if (next) close(next.value, op.value, `${where}: value`);
      nexts++;
    } else {
      let ok = true;
      try { ranker.observe(op.event); } catch { ok = false; }
      assert.equal(ok, op.ok, `${where}: accepted ${JSON.stringify(op.event)}`);
      observed++;
    }
  }
  ranker.close?.();
  return { ranks, nexts, observed };
}

test('the wasm package ranks the evaluator\'s calls exactly as the native evaluator', async () => {
  for (const bin of [EVAL, TRAIN]) assert.ok(existsSync(bin), `not built: ${bin} (tests/run.sh builds it)`);
  const dir = mkdtempSync(join(tmpdir(), 'reelrank-parity-'));
  try {
    writeData(dir, 7);
    const trace = join(dir, 'trace.json');
    const views = join(dir, 'views.jsonl');
    execFileSync(EVAL, ['--log', join(dir, 'eval.csv'), '--videos', join(dir, 'videos.csv'),
      '--prior-log', join(dir, 'prior.csv'), '--trace', trace, '--trace-users', '3',
      '--export-views', views, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const t = JSON.parse(readFileSync(trace, 'utf8'));
    assert.equal(t.users.length, 6, 'three users, each without and with the pack');
    // The evaluated pack is what the documented command makes from the
    // exported views (the KuaiRand -> JSONL converter's output).
    const pack = join(dir, 'pack.json');
    execFileSync(TRAIN, ['--in', views, '--out', pack, '--name', 'kuairand-eval-fold', '--quiet']);
    assert.deepEqual(JSON.parse(readFileSync(pack, 'utf8')), t.users[1].pack);
    let total = { ranks: 0, nexts: 0, observed: 0 };
    for (const u of t.users) {
      const label = `user ${u.user}${u.pack ? ' with pack' : ''}`;
      for (const part of ['prequential', 'loop']) {
        const c = await replay(t.config, u.pack, u[part], `${label} ${part}`);
        total = { ranks: total.ranks + c.ranks, nexts: total.nexts + c.nexts,
          observed: total.observed + c.observed };
      }
    }
    // The replay covered real work: every user ranked, picked and learned.
    assert.ok(total.ranks > 100 && total.nexts >= 60 && total.observed > 300, JSON.stringify(total));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
