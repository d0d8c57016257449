// The demo feed: candidates come from the demo server (which only ever sees
// "cursor" and "n"); everything else happens here, on the device: reelrank
// ranks, picks the one full-screen item, learns from every swipe and keeps
// the profile in IndexedDB.
//
// Hash options (never sent to the server): #debug exposes window.__reelrank
// for tests; #speed=N plays videos N times faster (dwell is measured in
// playback time, so a fast-forwarded long watch is still a long watch).
import * as reelrank from '/web/index.js';

const $ = (id) => document.getElementById(id);
const hashParams = new URLSearchParams(location.hash.slice(1));
const DEBUG = hashParams.has('debug');
const SPEED = Math.min(500, Math.max(0.1, Number(hashParams.get('speed') ?? 1) || 1));
const CONTROLS_KEY = 'reelrank-demo:controls';
const SVG = 'http://www.w3.org/2000/svg';

// The demo's operator policy: the library's default drops, plus an
// interstitial for items the catalog labels `sensitive`.
const DEMO_POLICY = {
  version: 1,
  rules: [
    { id: 'violence', priority: 100, action: 'drop', match: { labels: ['violence', 'gore'], min_confidence: 0.5 }, reason: 'violent or graphic content' },
    { id: 'adult', priority: 100, action: 'drop', match: { labels: ['adult', 'sexual'], min_confidence: 0.5 }, reason: 'adult content' },
    { id: 'scam', priority: 100, action: 'drop', match: { labels: ['scam', 'fraud'], min_confidence: 0.5 }, reason: 'scam or fraud' },
    { id: 'hate', priority: 100, action: 'drop', match: { labels: ['hate'], min_confidence: 0.5 }, reason: 'hateful content' },
    { id: 'self_harm', priority: 100, action: 'drop', match: { labels: ['self_harm'], min_confidence: 0.5 }, reason: 'self-harm' },
    { id: 'dangerous_acts', priority: 100, action: 'drop', match: { labels: ['dangerous_acts'], min_confidence: 0.5 }, reason: 'dangerous acts' },
    { id: 'sensitive', priority: 50, action: 'interstitial', match: { labels: ['sensitive'], min_confidence: 0.5 }, reason: 'may be upsetting to some viewers' },
    { id: 'low_quality', action: 'demote', multiplier: 0.5, match: { labels: ['low_quality'], min_confidence: 0.5 }, reason: 'low quality' },
    { id: 'clickbait', action: 'demote', multiplier: 0.6, match: { labels: ['clickbait'], min_confidence: 0.5 }, reason: 'clickbait' },
    { id: 'high_quality', action: 'boost', multiplier: 1.2, match: { labels: ['high_quality'], min_confidence: 0.5 }, reason: 'high quality' },
  ],
};

const OBJECTIVES = [
  ['watch_ratio', 'Watch time'],
  ['finish', 'Finishing videos'],
  ['like', 'Likes'],
  ['share', 'Shares'],
  ['follow', 'Follows'],
  ['comment', 'Comments'],
];
const DEFAULT_WEIGHTS = { watch_ratio: 1, finish: 0.5, like: 1, share: 1, follow: 1, comment: 0.5 };
const UNSAFE_LABELS = ['violence', 'gore', 'adult', 'sexual', 'scam', 'fraud', 'hate', 'self_harm', 'dangerous_acts'];

const state = {
  ranker: null,
  catalog: { catalog: '?', categories: [], credit: null },
  pool: new Map(),  // id -> server item
  order: [],        // ids in arrival order
  cursor: 0,
  total: Infinity,
  fetching: null,
  shown: [],        // items shown, in order (for the debug hook and the log)
  shownIds: new Set(),
  current: null,
  controls: loadControls(),
  affinity: {},     // category:<name> -> mean value above the average (last rank)
  history: [],      // per swipe: {id, category, dwellMs, velocity, action, weights}
  missing: [],      // package methods this build does not have
  eventSeq: 0,
};

function loadControls() {
  const empty = {
    maturity: 'mature', blockedHashtags: [], blockedCreators: [], blockedKeywords: [],
    notInterestedTopics: [], weights: { ...DEFAULT_WEIGHTS }, paused: false, personalized: true,
    topics: {},
  };
  try {
    const saved = JSON.parse(localStorage.getItem(CONTROLS_KEY) ?? 'null');
    return saved ? { ...empty, ...saved, weights: { ...DEFAULT_WEIGHTS, ...saved.weights } } : empty;
  } catch {
    return empty;
  }
}

function saveControls() {
  localStorage.setItem(CONTROLS_KEY, JSON.stringify(state.controls));
}

// ---- the package, used defensively --------------------------------------

function can(name) {
  return typeof state.ranker?.[name] === 'function';
}

// Calls a package method if this build has it; otherwise notes it once.
function call(name, ...args) {
  if (!can(name)) {
    if (!state.missing.includes(name)) {
      state.missing.push(name);
      console.warn(`reelrank: this build has no ${name}(); the demo degrades without it`);
      renderStatus();
    }
    return undefined;
  }
  try {
    return state.ranker[name](...args);
  } catch (e) {
    if (e?.code !== 'unimplemented') throw e;
    if (!state.missing.includes(name)) {
      state.missing.push(name);
      console.warn(`reelrank: ${e.message}; the demo degrades without it`);
      renderStatus();
    }
    return undefined;
  }
}

function userPolicy() {
  const c = state.controls;
  return {
    blockedCreators: c.blockedCreators,
    blockedHashtags: c.blockedHashtags,
    blockedKeywords: c.blockedKeywords,
    blockedSounds: [],
    maturity: c.maturity,
    notInterestedTopics: c.notInterestedTopics,
    topics: c.topics ?? {},
  };
}

function applyControls() {
  if (!state.missing.includes('setPolicy')) call('setPolicy', { user: userPolicy() });
  call('setObjectiveWeights', state.controls.weights);
  call('pauseLearning', Boolean(state.controls.paused));
  call('setPersonalization', state.controls.personalized !== false);
}

function observe(kind, extra = {}) {
  const cur = state.current;
  if (!cur) return;
  const ev = {
    eventId: `e${Date.now().toString(36)}_${(state.eventSeq++).toString(36)}`,
    itemId: cur.item.id,
    kind,
    timestampMs: Date.now(),
    ...extra,
  };
  try {
    call('observe', ev);
    if (!state.controls.paused) cur.eventIds.push(ev.eventId);
  } catch (e) {
    console.warn(`observe ${kind}: ${e.message}`);
  }
  return ev.eventId;
}

// ---- candidates ----------------------------------------------------------

async function fetchPage(n = 200) {
  if (state.fetching) return state.fetching;
  state.fetching = (async () => {
    const res = await fetch(`/api/candidates?cursor=${state.cursor}&n=${n}`);
    if (!res.ok) throw new Error(`candidates: HTTP ${res.status}`);
    const page = await res.json();
    state.cursor = page.next_cursor;
    state.total = page.total;
    for (const item of page.items) {
      if (!state.pool.has(item.id)) {
        state.pool.set(item.id, item);
        state.order.push(item.id);
      }
    }
  })();
  try {
    await state.fetching;
  } finally {
    state.fetching = null;
  }
}

function unseen() {
  return state.order.filter((id) => !state.shownIds.has(id)).map((id) => state.pool.get(id));
}

async function ensurePool() {
  let tries = 0;
  while (unseen().length < 400 && state.cursor < state.total + 400 && tries++ < 5) await fetchPage();
}

// The catalog's fields mapped onto the core's candidate fields.
function toCandidate(item) {
  return {
    id: item.id,
    author: item.author,
    tags: item.tags,
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

function context() {
  const now = new Date();
  return { now_ms: now.getTime(), hour_of_day: now.getHours(), session_depth: state.shown.length };
}

// The one item to show now: the ranker's next(), or the top of rank().
function decideNext() {
  const items = unseen().slice(0, 600);
  if (items.length === 0) return null;
  const candidates = items.map(toCandidate);
  const ctx = context();
  let pick = null;
  const r = state.ranker.rank(candidates, ctx);
  state.affinity = topicAffinity(r, items);
  let viaNext = false;
  if (can('next') && !state.missing.includes('next')) {
    try {
      pick = state.ranker.next(ctx);
      if (pick && typeof pick === 'object' && !('id' in pick) && pick.item) pick = pick.item;
      viaNext = true;
    } catch (e) {
      if (e.code !== 'unimplemented') throw e;
      state.missing.push('next');
      console.warn('reelrank: next() is not implemented in this build; showing the top of rank()');
    }
  } else {
    call('next');  // records that it is missing
  }
  if (!viaNext) pick = r.ranked[0] ?? null;
  if (!pick) return null;
  let id = typeof pick === 'string' ? pick : pick.id;
  if (state.shownIds.has(id) || !items.some((x) => x.id === id)) {
    // next() chose from its own memory an item this page already showed.
    console.warn(`reelrank: next() returned ${id}, not one of this request's unseen candidates; using the top of rank()`);
    pick = r.ranked[0] ?? null;
    if (!pick) return null;
    id = pick.id;
  }
  const entry = r.ranked.find((x) => x.id === id) ?? (typeof pick === 'object' ? pick : { id });
  const item = state.pool.get(id);
  if (!item) return null;
  const merged = { ...entry, ...(typeof pick === 'object' ? pick : {}) };
  // Keep named head predictions (a raw next() may carry a typed array).
  if (!merged.heads || ArrayBuffer.isView(merged.heads)) merged.heads = entry.heads;
  return { item, entry: merged, rankedCount: r.ranked.length, rejected: r.rejected.length };
}

// What the feed favors now, per topic: the mean value the ranker gives the
// topic's unseen candidates minus the mean over all of them (from the last
// rank() call, so it includes everything the ranker learned, sparse
// weights and interest vectors alike).
function topicAffinity(r, items) {
  const sums = new Map();
  let total = 0;
  for (const x of r.ranked) {
    const c = items[x.index].category;
    const s = sums.get(c) ?? [0, 0];
    s[0] += x.value;
    s[1]++;
    sums.set(c, s);
    total += x.value;
  }
  const mean = total / Math.max(1, r.ranked.length);
  const out = {};
  for (const [c, [sum, n]] of sums) if (n >= 3) out[`category:${c}`] = sum / n - mean;
  return out;
}

function needsInterstitial(entry) {
  return Boolean(
    entry.interstitial ||
    entry.policy?.interstitial ||
    entry.policy?.action === 'interstitial' ||
    entry.action === 'interstitial',
  );
}

function interstitialReason(entry) {
  let reason = entry.policy?.reason ?? entry.reason;
  if (!reason && can('explain')) {
    try {
      const ex = state.ranker.explain(entry.id);
      reason = ex?.policy?.reason;
    } catch { /* the generic text below */ }
  }
  return reason || 'this video may be upsetting to some viewers';
}

// ---- the feed ------------------------------------------------------------

const HUES = 20;
// The card's moving visual (style.css .card::before) from the item's id: a
// 32-bit FNV-1a hash spread over hues, places and drift.
function setVisual(card, id) {
  let h = 0x811c9dc5;
  for (const ch of id) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
  const pick = (shift, lo, hi) => lo + ((h >>> shift) % (hi - lo + 1));
  const vars = {
    '--h1': pick(0, 0, 359), '--h2': pick(9, 0, 359), '--x1': `${pick(3, 15, 85)}%`, '--y1': `${pick(7, 15, 85)}%`,
    '--x2': `${pick(11, 15, 85)}%`, '--y2': `${pick(15, 15, 85)}%`, '--dx': `${pick(19, 0, 16) - 8}%`,
    '--dy': `${pick(22, 0, 16) - 8}%`, '--rot': `${pick(25, 0, 60) - 30}deg`, '--period': `${pick(28, 6, 13)}s`,
  };
  for (const [k, v] of Object.entries(vars)) card.style.setProperty(k, String(v));
}

function hueOf(category) {
  const i = state.catalog.categories.findIndex((c) => c.name === category);
  if (i >= 0) return i % HUES;
  let h = 0;
  for (const ch of category) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return h % HUES;
}

function fmtTime(ms) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function fmtCount(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

async function showNext() {
  closeSheet();
  await ensurePool();
  const decided = decideNext();
  const card = $('card');
  if (!decided) {
    state.current = null;
    card.hidden = true;
    $('empty').hidden = false;
    return;
  }
  $('empty').hidden = true;
  present(decided.item, decided.entry);
}

// Items shown, newest last ({item, entry}), for going back (bounded).
const trail = [];

// Shows `item` (its rank entry `entry`) full screen and records the view.
function present(item, entry) {
  const card = $('card');
  trail.push({ item, entry });
  if (trail.length > 50) trail.shift();
  const interstitial = needsInterstitial(entry);
  state.current = {
    item, entry, posMs: 0, watchedMs: 0, loops: 0, marks: 0, liked: false, followed: false, eventIds: [],
    interstitial, playing: !interstitial, shownAt: performance.now(),
  };
  state.shown.push({
    id: item.id, category: item.category, creator: item.author, hashtags: item.tags,
    sound: item.sound, safety: item.safety, maturity: item.maturity, caption: item.caption, interstitial,
  });
  state.shownIds.add(item.id);

  card.className = `card hue-${hueOf(item.category)}`;
  setVisual(card, item.id);
  card.dataset.id = item.id;
  card.dataset.category = item.category;
  card.dataset.creator = item.author;
  card.dataset.shown = String(state.shown.length);
  card.dataset.loops = '0';
  card.dataset.interstitial = interstitial ? '1' : '0';
  $('creator').textContent = `@${item.author}`;
  $('caption').textContent = item.caption || '(no caption)';
  $('tags').textContent = item.tags.map((t) => `#${t}`).join(' ');
  $('sound').textContent = `♪ ${item.sound}`;
  $('category').textContent = (item.categories ?? [item.category]).filter(Boolean).join(' › ');
  $('topic-art').textContent = item.category;
  $('like').setAttribute('aria-pressed', 'false');
  $('like-count').textContent = item.engagement ? fmtCount(item.engagement.likes) : 'Like';
  $('like-count').dataset.count = String(item.engagement?.likes ?? 0);
  $('follow').textContent = 'Follow';
  $('follow').setAttribute('aria-pressed', 'false');
  $('interstitial').hidden = !interstitial;
  if (interstitial) $('interstitial-reason').textContent = `Warning: ${interstitialReason(entry)}.`;
  card.hidden = false;
  renderPlayback();
  observe('impression');
  if (DEBUG) window.__reelrank.shownCount = state.shown.length;
}

// Leaves the current item: closes the view with its dwell and the swipe's
// velocity (screen heights per second), then shows the next one.
let leaving = false;
async function leave(velocity, action = 'swipe') {
  const cur = state.current;
  if (!cur || leaving) return;
  leaving = true;
  try {
    const before = { ...state.affinity };
    observe('swipe_away', { dwellMs: Math.round(cur.watchedMs), velocity: Math.round(velocity * 100) / 100 });
    const entry = {
      id: cur.item.id, category: cur.item.category, dwellMs: cur.watchedMs, loops: cur.loops,
      velocity, action, before, after: before, eventIds: cur.eventIds,
    };
    await showNext();  // ranks again: state.affinity now reflects this swipe
    entry.after = { ...state.affinity };
    state.history.push(entry);
    if (state.history.length > 40) state.history.shift();
    renderProfile();
  } finally {
    leaving = false;
  }
}

// Back to the item shown before this one (a swipe down, ↑, K, the wheel
// up): this view ends as a swipe, the previous item is shown again (a new
// view of it; the ranker learns from it as from any view).
async function goBack() {
  const cur = state.current;
  if (!cur || leaving) return;
  if (trail.length < 2) {
    toast('This is the first video');
    return;
  }
  leaving = true;
  try {
    observe('swipe_away', { dwellMs: Math.round(cur.watchedMs), velocity: 0 });
    closeSheet();
    trail.pop();  // the current item
    const prev = trail.pop();
    present(prev.item, prev.entry);
    renderProfile();
  } finally {
    leaving = false;
  }
}

// Playback is simulated: a clock that runs while the item is on screen.
let lastTick = performance.now();
function tick() {
  const now = performance.now();
  const dt = (now - lastTick) * SPEED;
  lastTick = now;
  const cur = state.current;
  if (!cur || !cur.playing || document.hidden || !$('sheet').hidden) return;
  const dur = cur.item.duration_ms;
  cur.posMs += dt;
  cur.watchedMs += dt;
  while (cur.loops === 0 && cur.marks < 3 && cur.posMs >= dur * (cur.marks + 1) / 4) {
    cur.marks++;
    observe('progress', { dwellMs: Math.round(cur.watchedMs) });
  }
  while (cur.posMs >= dur) {
    cur.posMs -= dur;
    cur.loops++;
    observe(cur.loops === 1 ? 'complete' : 'replay', { dwellMs: Math.round(cur.watchedMs) });
  }
  renderPlayback();
}

function renderPlayback() {
  const cur = state.current;
  if (!cur) return;
  const frac = Math.min(1, cur.posMs / cur.item.duration_ms);
  $('progress-bar').style.transform = `scaleX(${frac.toFixed(4)})`;
  $('play-hint').textContent = cur.interstitial && !cur.playing ? '' :
    `${cur.playing ? '▶' : '❚❚'} ${fmtTime(cur.posMs)} / ${fmtTime(cur.item.duration_ms)}${cur.loops ? `  ↻${cur.loops}` : ''}`;
  const card = $('card');
  card.dataset.loops = String(cur.loops);
  card.dataset.watchedMs = String(Math.round(cur.watchedMs));
  card.dataset.state = cur.playing ? 'playing' : cur.interstitial ? 'interstitial' : 'paused';
}

// ---- actions -------------------------------------------------------------

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 2200);
}

function like() {
  const cur = state.current;
  if (!cur) return;
  cur.liked = !cur.liked;
  observe(cur.liked ? 'like' : 'unlike');
  $('like').setAttribute('aria-pressed', String(cur.liked));
  const likes = (cur.item.engagement?.likes ?? 0) + (cur.liked ? 1 : 0);
  $('like-count').textContent = fmtCount(likes);
  $('like-count').dataset.count = String(likes);
  renderProfile();
}

function follow() {
  const cur = state.current;
  if (!cur || cur.followed) return;
  cur.followed = true;
  observe('follow');
  $('follow').textContent = 'Following';
  $('follow').setAttribute('aria-pressed', 'true');
  renderProfile();
}

function share() {
  if (!state.current) return;
  observe('share');
  toast('Shared (simulated: nothing was sent anywhere)');
  renderProfile();
}

function comment() {
  if (!state.current) return;
  const form = document.createElement('form');
  form.className = 'comment-form';
  const input = document.createElement('input');
  input.type = 'text';
  input.maxLength = 150;
  input.placeholder = 'Add a comment…';
  input.setAttribute('aria-label', 'Comment');
  const post = button('Post', () => {});
  post.type = 'submit';
  form.append(input, post);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    observe('comment');
    closeSheet();
    toast('Comment kept on this device (simulated)');
    renderProfile();
  });
  openSheet('Comment', [form, note('Comments are simulated: the text stays in this page; the ranker only learns that you commented.')]);
  input.focus();
}

function button(label, onClick, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (cls) b.className = cls;
  b.addEventListener('click', onClick);
  return b;
}

function note(text) {
  const p = document.createElement('p');
  p.className = 'note';
  p.textContent = text;
  return p;
}

function notInterested() {
  const cur = state.current;
  if (!cur) return;
  const { item } = cur;
  const choose = async (what) => {
    observe('not_interested');
    const c = state.controls;
    if (what === 'creator' && !c.blockedCreators.includes(item.author)) c.blockedCreators.push(item.author);
    if (what === 'topic' && !c.notInterestedTopics.some((t) => (t.topic ?? t) === item.category)) {
      c.notInterestedTopics.push({ topic: item.category, atMs: Date.now() });
    }
    saveControls();
    applyControls();
    renderControls();
    closeSheet();
    // What the ranker learned from the tap (the core's feedback fatigue: the
    // creator is hidden for a while, the topic and the sound discounted).
    const learned = `@${item.author} hidden for a while; fewer ${item.category} videos and fewer with ♪ ${item.sound}`;
    state.lastNotInterested = { what, caption: item.caption || item.id, learned };
    toast(what === 'creator' ? `You won't see @${item.author} again` :
      what === 'topic' ? `${item.category} hidden for a while, then fewer` : `Learned: ${learned}`);
    await leave(0, 'not_interested');
  };
  const list = document.createElement('div');
  list.className = 'choices';
  list.append(
    button('This video', () => choose('video'), 'choice'),
    button(`Videos from @${item.author}`, () => choose('creator'), 'choice ni-creator'),
    button(`${item.category} videos for a while`, () => choose('topic'), 'choice ni-topic'),
  );
  openSheet('Not interested in…', [list]);
}

function report() {
  const cur = state.current;
  if (!cur) return;
  const list = document.createElement('div');
  list.className = 'choices';
  for (const reason of ['Spam or scam', 'Violence', 'Misleading', 'Something else']) {
    list.append(button(reason, async () => {
      observe('report');
      closeSheet();
      toast('Reported. The report stays on this device in the demo.');
      await leave(0, 'report');
    }, 'choice'));
  }
  openSheet('Report this video', [list]);
}

function profileVisit() {
  if (!state.current) return;
  observe('profile_visit');
  toast(`@${state.current.item.author}'s profile (simulated)`);
}

// "Why this video?": the core's explanation (explain()), else the ranking
// entry (its top contributions and head predictions).
function why() {
  const cur = state.current;
  if (!cur) return;
  let ex = null;
  try {
    ex = call('explain', cur.item.id) ?? null;
  } catch (e) {
    console.warn(`explain: ${e.message}`);
  }
  const parts = [];
  const sum = document.createElement('p');
  sum.className = 'why-summary';
  sum.textContent = `${cur.item.category} · @${cur.item.author}`;
  parts.push(sum);
  if (ex?.summary) parts.push(Object.assign(document.createElement('p'), { className: 'why-line', textContent: ex.summary }));
  // What the last "not interested" taught the feed (it shapes this pick too).
  const ni = state.lastNotInterested;
  if (ni) parts.push(note(`After your "not interested" on “${ni.caption}”: ${ni.what === 'creator' ? 'that creator is blocked' : ni.what === 'topic' ? 'that topic is hidden for a while, then shown less' : ni.learned}.`));
  // Reasons: explain()'s sentences, else the rank entry's contributions.
  const reasons = (ex?.reasons?.length ? ex.reasons : cur.entry.contributions ?? []).map((r) => ({
    label: r.text ?? r.label ?? (r.key ? `${r.kind} ${r.key}` : r.kind),
    value: Number(r.contribution ?? r.value ?? 0),
    kind: r.kind ?? '',
  }));
  if (reasons.length) {
    const max = Math.max(...reasons.map((c) => Math.abs(c.value)), 1e-9);
    const ol = document.createElement('ol');
    ol.className = 'bars why-bars';
    for (const r of reasons) ol.append(bar(r.label, r.value, max, r.kind));
    parts.push(heading('What pushed it up or down'), ol);
  } else {
    parts.push(note('Nothing personal yet: a fresh profile ranks by the server score and exploration.'));
  }
  if (cur.entry.heads) {
    const dl = document.createElement('ol');
    dl.className = 'bars heads';
    for (const [k, v] of Object.entries(cur.entry.heads)) dl.append(bar(`P(${k.replace('_', ' ')})`, v, 1, 'head'));
    parts.push(heading('Predicted on this device'), dl);
  }
  const pol = ex?.policy ?? cur.entry.policy;
  if (pol) {
    const mult = Number(pol.multiplier ?? 1);
    parts.push(note(`Policy: ${pol.action ?? 'allow'}${pol.reason ? ` (${pol.reason})` : ''}${mult !== 1 ? ` × ${mult.toFixed(2)}` : ''}${pol.source && pol.source !== 'none' ? ` by ${pol.source}` : ''}`));
  }
  if (ex?.explored ?? cur.entry.explored) parts.push(note('Picked partly to explore something new for you.'));
  for (const d of ex?.diversity ?? []) parts.push(note(`Diversity: ${d}`));
  if (Number.isFinite(ex?.value ?? cur.entry.value)) parts.push(note(`Value ${Number(ex?.value ?? cur.entry.value).toFixed(3)}${ex?.position >= 0 ? ` · position ${ex.position + 1} of the last ranking` : ''}`));
  if (!ex) parts.push(note('This build of the package has no explain(); showing the ranking entry instead.'));
  openSheet('Why this video?', parts);
}

function heading(text) {
  const h = document.createElement('h3');
  h.textContent = text;
  return h;
}

function bar(label, value, max, kind = '') {
  const li = document.createElement('li');
  li.className = `bar ${value < 0 ? 'neg' : 'pos'}`;
  if (kind) li.dataset.kind = kind;
  const name = document.createElement('span');
  name.className = 'bar-label';
  name.textContent = label;
  const track = document.createElement('span');
  track.className = 'bar-track';
  const fill = document.createElement('span');
  fill.className = 'bar-fill';
  fill.style.width = `${Math.min(100, (Math.abs(value) / max) * 100).toFixed(1)}%`;
  track.append(fill);
  const num = document.createElement('span');
  num.className = 'bar-value';
  num.textContent = Number(value).toFixed(Math.abs(value) < 1 ? 3 : 2);
  li.append(name, track, num);
  return li;
}

function openSheet(title, nodes) {
  $('sheet-title').textContent = title;
  $('sheet-content').replaceChildren(...nodes);
  $('sheet').hidden = false;
}

function closeSheet() {
  $('sheet').hidden = true;
  $('feed').focus({ preventScroll: true });
}

// ---- gestures ------------------------------------------------------------

// Keys typed into a field belong to it; a ticked checkbox keeps no keys.
function inField(target) {
  if (!(target instanceof Element)) return false;
  const f = target.closest('input, textarea, select');
  return Boolean(f) && !(f instanceof HTMLInputElement && ['checkbox', 'radio', 'button'].includes(f.type));
}

function onKey(e) {
  if (inField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
  if (!$('sheet').hidden) {
    if (e.key === 'Escape') closeSheet();
    return;
  }
  const cur = state.current;
  const k = e.key.toLowerCase();
  if (cur?.interstitial && !cur.playing) {
    if (k === 'enter') { watchAnyway(); e.preventDefault(); }
    if (k === 'arrowdown' || k === 'pagedown' || k === 'j') { leave(1, 'skip'); e.preventDefault(); }
    return;
  }
  if (!cur && (k === 'arrowdown' || k === 'pagedown' || k === 'j')) {
    startAgain();
    e.preventDefault();
    return;
  }
  switch (k) {
    case 'arrowdown': case 'pagedown': case 'j': leave(1.0, 'key'); break;
    case 'arrowup': case 'pageup': case 'k': goBack(); break;
    case ' ': if (cur) { cur.playing = !cur.playing; renderPlayback(); } break;
    case 'l': like(); break;
    case 'f': follow(); break;
    case 's': share(); break;
    case 'c': comment(); e.preventDefault(); break;
    case 'w': case '?': why(); break;
    case 'n': notInterested(); break;
    case 'r': report(); break;
    default: return;
  }
  e.preventDefault();
}

// A wheel gesture (a trackpad flick sends a burst of events, with inertia)
// moves one item: the burst ends when no event came for 120 ms.
const wheel = { acc: 0, start: 0, last: 0, fired: false };
function onWheel(e) {
  if (!$('sheet').hidden) return;
  e.preventDefault();
  const now = performance.now();
  if (now - wheel.last > 120) {
    wheel.acc = 0;
    wheel.start = now;
    wheel.fired = false;
  }
  wheel.last = now;
  if (wheel.fired) return;
  wheel.acc += e.deltaMode === 1 ? e.deltaY * 40 : e.deltaY;
  if (wheel.acc > 60 && !state.current) {
    wheel.fired = true;
    startAgain();
  } else if (wheel.acc > 60) {
    const secs = Math.max(0.05, (now - wheel.start) / 1000);
    const v = Math.min(10, wheel.acc / window.innerHeight / secs);
    wheel.fired = true;
    if (state.current?.interstitial && !state.current.playing) leave(v, 'skip');
    else leave(v, 'wheel');
  } else if (wheel.acc < -60) {
    wheel.fired = true;
    goBack();
  }
}

// Touch and mouse on the card, as the app people know: the card follows the
// finger and snaps (up past a threshold: the next item); a tap plays /
// pauses, a double tap likes; a long press opens "not interested" and the
// release leaves it open. A swipe may start on a button (Follow, the action
// rail): it moves the feed, and that button's click is swallowed.
const press = { id: null, y: 0, x: 0, t: 0, timer: 0, long: false, moved: false, onButton: false, lastTap: 0, tapTimer: 0, sheetAt: 0 };
function onPointerDown(e) {
  if (e.button > 0 || e.target.closest('input, a, label, select, textarea')) return;
  press.id = e.pointerId;
  press.y = e.clientY;
  press.x = e.clientX;
  press.t = performance.now();
  press.long = false;
  press.moved = false;
  press.onButton = Boolean(e.target.closest('button'));
  clearTimeout(press.timer);
  if (!press.onButton) {
    press.timer = setTimeout(() => {
      press.long = true;
      press.sheetAt = performance.now();
      setCardOffset(0);
      notInterested();
    }, 600);
  }
}

// The card's vertical offset while a finger drags it (0: at rest).
function setCardOffset(px) {
  const card = $('card');
  card.classList.toggle('dragging', px !== 0);
  card.style.transform = px === 0 ? '' : `translateY(${px}px)`;
}

function onPointerMove(e) {
  if (e.pointerId !== press.id || press.long) return;
  const dy = e.clientY - press.y;
  if (!press.moved && Math.hypot(dy, e.clientX - press.x) > 12) {
    press.moved = true;
    clearTimeout(press.timer);
    // A drag: the card keeps the pointer even off its edge (not before, so
    // that a press on a button stays that button's click).
    try { $('card').setPointerCapture(e.pointerId); } catch { /* released already */ }
  }
  // Up follows the finger; down, with resistance (the feed moves forward).
  if (press.moved) setCardOffset(dy < 0 ? dy : dy * 0.3);
}

function onPointerUp(e) {
  if (e.pointerId !== press.id) return;
  clearTimeout(press.timer);
  press.id = null;
  setCardOffset(0);
  if (press.long) return;
  const dy = press.y - e.clientY;  // up is positive
  const secs = Math.max(0.03, (performance.now() - press.t) / 1000);
  const h = $('card').getBoundingClientRect().height || window.innerHeight;
  const v = dy / h / secs;
  if (dy < -0.15 * h || (dy < -40 && v < -0.6)) {
    if (press.onButton) swallowNextClick();
    goBack();
  } else if (dy > 0.15 * h || (dy > 40 && v > 0.6)) {
    if (press.onButton) swallowNextClick();
    if (state.current?.interstitial && !state.current.playing) leave(Math.min(10, v), 'skip');
    else leave(Math.min(10, v), 'touch');
  } else if (press.moved && press.onButton) {
    swallowNextClick();  // a drag that snapped back is not a press
  } else if (!press.onButton && Math.abs(dy) < 10 && secs < 0.35 && state.current && !state.current.interstitial) {
    const now = performance.now();
    if (now - press.lastTap < 300) {  // double tap: like (never unlike)
      clearTimeout(press.tapTimer);
      press.lastTap = 0;
      if (!state.current.liked) like();
      return;
    }
    press.lastTap = now;
    clearTimeout(press.tapTimer);
    press.tapTimer = setTimeout(() => {  // single tap: play / pause
      if (!state.current) return;
      state.current.playing = !state.current.playing;
      renderPlayback();
    }, 300);
  }
}

function swallowNextClick() {
  const stop = (ev) => { ev.stopPropagation(); ev.preventDefault(); };
  window.addEventListener('click', stop, { capture: true, once: true });
  setTimeout(() => window.removeEventListener('click', stop, { capture: true }), 400);
}

function watchAnyway() {
  const cur = state.current;
  if (!cur) return;
  cur.interstitial = false;
  cur.playing = true;
  $('interstitial').hidden = true;
  $('card').dataset.interstitial = 'seen';
  renderPlayback();
}

// ---- the profile panel ---------------------------------------------------

function summary() {
  try {
    return call('profileSummary') ?? null;
  } catch (e) {
    console.warn(`profileSummary: ${e.message}`);
    return null;
  }
}

// The core's duration buckets (edges 7, 15, 30, 60, 120, 300 s) and
// quarter-day hour buckets.
const DURATIONS = ['under 7 s', '7-15 s', '15-30 s', '30-60 s', '1-2 min', '2-5 min', 'over 5 min'];
const DAYPARTS = ['at night', 'in the morning', 'in the afternoon', 'in the evening'];
function prettyInterest(name) {
  const m = /^([a-z_]+):(.*)$/.exec(name);
  if (!m) return name;
  const [, kind, v] = m;
  const [a, b] = v.split('|');
  switch (kind) {
    case 'tag': return `#${v}`;
    case 'author': case 'creator': return `@${v}`;
    case 'category': return v;
    case 'sound': return `♪ ${v}`;
    case 'dur': return `length ${DURATIONS[Number(v)] ?? v}`;
    case 'cat_hour': return `${a} ${DAYPARTS[Number(b)] ?? 'at this hour'}`;
    case 'cat_dur': return `${a}, ${DURATIONS[Number(b)] ?? 'this length'}`;
    default: return `${kind.replace('_', ' ')} ${v}`;
  }
}

function renderProfile() {
  const s = summary();
  const interests = (s?.topInterests ?? []).slice(0, 8);
  const max = Math.max(1e-9, ...interests.map((i) => Math.abs(i.weight)));
  $('interests').replaceChildren(...(interests.length ? interests.map((i) => bar(prettyInterest(i.name), i.weight, max, 'interest'))
    : [Object.assign(document.createElement('li'), { className: 'note', textContent: s ? 'Nothing learned yet: watch, like or skip a few videos.' : 'This build of the package has no profileSummary().' })]));
  $('profile').dataset.interests = String(interests.length);
  const topics = Object.entries(state.affinity ?? {}).sort((a, b) => b[1] - a[1]);
  const shownTopics = topics.length > 8 ? [...topics.slice(0, 5), ...topics.slice(-3)] : topics;
  const tmax = Math.max(1e-9, ...shownTopics.map(([, v]) => Math.abs(v)));
  $('topics').replaceChildren(...shownTopics.map(([n, v]) => bar(prettyInterest(n), v, tmax, 'topic')));
  $('profile').dataset.events = String(s?.stats?.events ?? 0);
  const w = s?.objectiveWeights ?? state.controls.weights;
  const mix = Object.entries(w).filter(([, v]) => v > 0);
  const total = mix.reduce((a, [, v]) => a + v, 0) || 1;
  $('objectives').replaceChildren(...mix.map(([k, v]) => bar(`${k.replace('_', ' ')} ×${Number(v).toFixed(1)}`, v / total, 1, 'objective')));
  const st = s?.stats;
  $('stats').textContent = st ? `Learned from ${st.events ?? 0} events · ${st.views ?? 0} views · ${st.features ?? 0} features · ${st.seen_items ?? st.seenItems ?? 0} seen items` +
    (state.controls.paused ? ' · learning paused' : '') +
    (state.controls.personalized === false ? ' · not personalized: the server\'s order, nothing learned' : '') : '';
  renderChart();
  $('forget-last').disabled = state.history.length === 0;
}

// A live chart of how each of the last swipes moved the profile: the
// weights of today's top interests after each of the last 20 swipes.
function renderChart() {
  const hist = state.history.slice(-20);
  const wrap = $('chart-wrap');
  const W = 320;
  const H = 120;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  const current = hist.at(-1)?.after ?? {};
  const names = Object.entries(current).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 4).map(([n]) => n);
  const series = names.map((n) => hist.map((h) => h.after[n] ?? 0));
  const all = series.flat().concat([0]);
  const lo = Math.min(...all);
  const hi = Math.max(...all, lo + 1e-6);
  const x = (i) => (hist.length <= 1 ? W / 2 : 8 + (i * (W - 16)) / (hist.length - 1));
  const y = (v) => H - 8 - ((v - lo) / (hi - lo)) * (H - 16);
  const zero = document.createElementNS(SVG, 'line');
  zero.setAttribute('x1', '0');
  zero.setAttribute('x2', String(W));
  zero.setAttribute('y1', y(0).toFixed(1));
  zero.setAttribute('y2', y(0).toFixed(1));
  zero.setAttribute('class', 'zero');
  svg.append(zero);
  // One tick per swipe: long watches tall, fast skips short.
  hist.forEach((h, i) => {
    const t = document.createElementNS(SVG, 'rect');
    const ratio = Math.min(1, h.dwellMs / Math.max(1, state.pool.get(h.id)?.duration_ms ?? 1) / 2);
    t.setAttribute('x', (x(i) - 2).toFixed(1));
    t.setAttribute('width', '4');
    t.setAttribute('y', (H - 4 - ratio * 20).toFixed(1));
    t.setAttribute('height', (2 + ratio * 20).toFixed(1));
    t.setAttribute('class', `tick ${h.action}`);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${h.category}: watched ${fmtTime(h.dwellMs)} (${h.action})`;
    t.append(title);
    svg.append(t);
  });
  series.forEach((vals, k) => {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', vals.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '));
    line.setAttribute('class', `series s${k}`);
    svg.append(line);
  });
  const legend = document.createElement('ul');
  legend.className = 'legend';
  names.forEach((n, k) => {
    const li = document.createElement('li');
    li.className = `s${k}`;
    li.textContent = prettyInterest(n);
    legend.append(li);
  });
  if (!hist.length) {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(W / 2));
    t.setAttribute('y', String(H / 2));
    t.setAttribute('class', 'chart-empty');
    t.textContent = 'swipe to see your profile move';
    svg.append(t);
  }
  wrap.replaceChildren(svg, legend);
  // The last few swipes in words.
  $('swipe-log').replaceChildren(...hist.slice(-5).reverse().map((h) => {
    const li = document.createElement('li');
    let best = null;
    for (const [n, v] of Object.entries(h.after)) {
      const d = v - (h.before[n] ?? 0);
      if (!best || Math.abs(d) > Math.abs(best[1])) best = [n, d];
    }
    li.textContent = `${h.category}: ${h.action === 'not_interested' ? 'not interested' : `watched ${fmtTime(h.dwellMs)}`}` +
      (best && Math.abs(best[1]) > 1e-6 ? ` → ${prettyInterest(best[0])} ${best[1] > 0 ? '+' : ''}${best[1].toFixed(3)}` : '');
    return li;
  }));
}

// Forgets every event of the last video left (exactly, via forget()).
function forgetLast() {
  const h = state.history.at(-1);
  if (!h) return;
  let forgotten = 0;
  let problem = '';
  for (const id of [...h.eventIds].reverse()) {
    try {
      if (call('forget', id) === undefined && state.missing.includes('forget')) break;
      forgotten++;
    } catch (e) {
      problem = e.message;
    }
  }
  state.history.pop();
  toast(problem ? `Could not forget everything: ${problem}` : `Forgot ${forgotten} events of that ${h.category} video`);
  renderProfile();
}

// ---- controls ------------------------------------------------------------

function renderControls() {
  const c = state.controls;
  $('maturity').value = c.maturity;
  $('pause').checked = Boolean(c.paused);
  $('personalize').checked = c.personalized !== false;
  const items = [
    ...c.blockedHashtags.map((v) => ['blockedHashtags', `#${v}`, v]),
    ...c.blockedCreators.map((v) => ['blockedCreators', `@${v}`, v]),
    ...c.blockedKeywords.map((v) => ['blockedKeywords', `“${v}”`, v]),
    ...c.notInterestedTopics.map((t) => ['notInterestedTopics', `not interested: ${t.topic ?? t}`, t]),
  ];
  $('blocked').replaceChildren(...items.map(([list, label, v]) => {
    const li = document.createElement('li');
    li.textContent = label;
    li.append(button('×', () => {
      c[list] = c[list].filter((x) => x !== v);
      saveControls();
      applyControls();
      renderControls();
    }, 'unblock'));
    return li;
  }));
  for (const [k] of OBJECTIVES) {
    const input = $(`w-${k}`);
    if (input) {
      input.value = String(c.weights[k] ?? 1);
      $(`w-${k}-v`).textContent = Number(input.value).toFixed(1);
    }
  }
}

// "Manage topics": more / normal / less per catalog category.
function buildTopics() {
  const c = state.controls;
  $('topic-levels').replaceChildren(...state.catalog.categories.map(({ name }) => {
    const row = document.createElement('label');
    row.className = 'slider';
    const label = document.createElement('span');
    label.textContent = name;
    const select = document.createElement('select');
    select.dataset.topic = name;
    select.setAttribute('aria-label', `How much ${name}`);
    for (const [v, text] of [['less', 'Less'], ['normal', 'Normal'], ['more', 'More']]) {
      select.append(Object.assign(document.createElement('option'), { value: v, textContent: text }));
    }
    select.value = c.topics?.[name] ?? 'normal';
    select.addEventListener('change', () => {
      c.topics = { ...c.topics };
      if (select.value === 'normal') delete c.topics[name];
      else c.topics[name] = select.value;
      saveControls();
      try {
        applyControls();
        $('controls-status').textContent = select.value === 'normal'
          ? `${name}: back to normal.`
          : `You asked for ${select.value} ${name}: it is ${select.value === 'more' ? 'raised' : 'lowered'} in the ranking, never removed.`;
      } catch (e) {
        $('controls-status').textContent = e.message;
      }
    });
    row.append(label, select, document.createElement('span'));
    return row;
  }));
}

function buildSliders() {
  $('sliders').replaceChildren(...OBJECTIVES.map(([k, label]) => {
    const row = document.createElement('label');
    row.className = 'slider';
    const name = document.createElement('span');
    name.textContent = label;
    const input = document.createElement('input');
    input.type = 'range';
    input.min = '0';
    input.max = '5';
    input.step = '0.1';
    input.id = `w-${k}`;
    const val = document.createElement('span');
    val.id = `w-${k}-v`;
    val.className = 'slider-value';
    input.addEventListener('input', () => {
      state.controls.weights[k] = Number(input.value);
      val.textContent = Number(input.value).toFixed(1);
      saveControls();
      try {
        call('setObjectiveWeights', { [k]: Number(input.value) });
      } catch (e) {
        $('controls-status').textContent = e.message;
      }
      renderProfile();
    });
    // A slider moved with the mouse or a finger gives the keys back to the
    // feed (moved with the keyboard, it keeps them).
    input.addEventListener('pointerup', () => $('feed').focus({ preventScroll: true }));
    row.append(name, input, val);
    return row;
  }));
}

async function restart(message) {
  state.shownIds.clear();
  state.shown.length = 0;
  state.history.length = 0;
  await showNext();
  renderControls();
  renderProfile();
  $('controls-status').textContent = message;
}

function exportProfile() {
  const profile = call('exportProfile');
  if (profile === undefined) return;
  const doc = { format: 'reelrank-demo-export', version: 1, exported_at: new Date().toISOString(), profile, controls: state.controls };
  const blob = new Blob([JSON.stringify(doc, null, 1)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'reelrank-profile.json';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 5000);
  $('controls-status').textContent = 'Profile exported to reelrank-profile.json (it never left this device).';
}

async function importProfile(file) {
  const text = await file.text();
  let profile = text;
  let controls = null;
  try {
    const doc = JSON.parse(text);
    if (doc?.format === 'reelrank-demo-export') {
      profile = doc.profile;
      controls = doc.controls;
    }
  } catch { /* not JSON: let the package say why */ }
  try {
    call('importProfile', profile);
  } catch (e) {
    $('controls-status').textContent = `Import failed: ${e.message}`;
    return;
  }
  if (controls) {
    state.controls = { ...loadControls(), ...controls };
    saveControls();
    applyControls();
  }
  await persistNow();
  await restart('Profile imported.');
}

async function persistNow() {
  try {
    await call('flush');
  } catch (e) {
    console.warn(`flush: ${e.message}`);
  }
}

// Deletes the profile, the controls and the history, then waits for the
// user to start again (so nothing is learned until they do).
async function deleteEverything() {
  state.current = null;  // stops playback: no more events from this item
  state.shownIds.clear();
  state.shown.length = 0;
  state.history.length = 0;
  closeSheet();
  call('reset');
  localStorage.removeItem(CONTROLS_KEY);
  state.controls = loadControls();
  applyControls();
  await persistNow();
  $('card').hidden = true;
  $('empty').textContent = 'Everything is deleted: profile, controls and history. Swipe, scroll or press ↓ to start a fresh feed.';
  $('empty').hidden = false;
  renderControls();
  renderProfile();
  $('controls-status').textContent = 'Everything deleted: profile, controls and history.';
}

// From the empty state, any forward gesture starts the feed again.
function startAgain() {
  if (!state.current && state.ranker) showNext().then(renderProfile);
}

// ---- creator tab ---------------------------------------------------------

async function loadTrends() {
  const category = $('create-category').value;
  if (!category) return;
  $('create').dataset.loading = '1';
  const res = await fetch(`/api/trends?category=${encodeURIComponent(category)}`);
  const t = res.ok ? await res.json() : { hashtags: [], sounds: [] };
  const row = (x, kind) => {
    const li = document.createElement('li');
    const b = button(kind === 'tag' ? `#${x.name}` : `♪ ${x.name}`, () => {
      const d = $('draft');
      d.value = `${d.value.trimEnd()} ${kind === 'tag' ? `#${x.name}` : `(sound: ${x.name})`}`.trim();
      renderDraft();
    }, 'chip');
    const meta = document.createElement('span');
    meta.className = 'trend-meta';
    meta.textContent = `${x.videos} videos · ${fmtCount(x.views)} views`;
    li.append(b, meta);
    return li;
  };
  $('trend-tags').replaceChildren(...t.hashtags.map((x) => row(x, 'tag')));
  $('trend-sounds').replaceChildren(...t.sounds.map((x) => row(x, 'sound')));
  $('create').dataset.loading = '0';
  $('create').dataset.category = category;
}

function renderDraft() {
  const d = $('draft').value;
  const tags = d.match(/#[\p{L}\p{N}_]+/gu) ?? [];
  $('draft-preview').textContent = d ? `${d.length}/300 characters · ${tags.length} hashtag${tags.length === 1 ? '' : 's'}` : '';
}

// ---- wiring --------------------------------------------------------------

function setTab(tab) {
  $('app').dataset.tab = tab;
  for (const b of document.querySelectorAll('#tabs button')) b.setAttribute('aria-pressed', String(b.dataset.tab === tab));
  if (tab === 'profile' || tab === 'feed') renderProfile();
  // Back on the feed, the keys (↓, space, L, ...) drive it again, whatever
  // control had the focus.
  if (tab === 'feed') $('feed').focus({ preventScroll: true });
}

function renderStatus() {
  const missing = state.missing.length ? ` (degraded: package lacks ${state.missing.join(', ')})` : '';
  $('status').textContent = state.ranker ? `ready${missing}` : 'loading';
  if (state.ranker) $('status').dataset.state = 'ready';
}

function wire() {
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => setTab(b.dataset.tab));
  document.addEventListener('keydown', onKey);
  $('feed').addEventListener('wheel', onWheel, { passive: false });
  const card = $('card');
  card.addEventListener('pointerdown', onPointerDown);
  card.addEventListener('pointermove', onPointerMove);
  card.addEventListener('pointerup', onPointerUp);
  card.addEventListener('pointercancel', () => { clearTimeout(press.timer); press.id = null; setCardOffset(0); });
  card.addEventListener('contextmenu', (e) => e.preventDefault());
  $('like').addEventListener('click', like);
  $('follow').addEventListener('click', follow);
  $('share').addEventListener('click', share);
  $('comment').addEventListener('click', comment);
  $('why').addEventListener('click', why);
  $('not-interested').addEventListener('click', notInterested);
  $('report').addEventListener('click', report);
  $('creator').addEventListener('click', profileVisit);
  $('interstitial-watch').addEventListener('click', watchAnyway);
  $('interstitial-skip').addEventListener('click', () => leave(1, 'skip'));
  $('sheet-close').addEventListener('click', closeSheet);
  // The release of the long press that opened the sheet does not close it.
  $('sheet').addEventListener('click', (e) => { if (e.target === $('sheet') && performance.now() - press.sheetAt > 500) closeSheet(); });
  $('maturity').addEventListener('change', () => {
    state.controls.maturity = $('maturity').value;
    saveControls();
    applyControls();
    $('controls-status').textContent = `Maturity: ${state.controls.maturity}`;
  });
  $('block-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const kind = $('block-kind').value;
    const v = $('block-value').value.trim().replace(/^[#@]/, '');
    if (!v) return;
    const list = { hashtag: 'blockedHashtags', creator: 'blockedCreators', keyword: 'blockedKeywords' }[kind];
    if (!state.controls[list].includes(v)) state.controls[list].push(v);
    $('block-value').value = '';
    saveControls();
    try {
      applyControls();
      $('controls-status').textContent = `Blocked ${kind} ${v}`;
    } catch (err) {
      $('controls-status').textContent = err.message;
    }
    renderControls();
  });
  $('pause').addEventListener('change', () => {
    state.controls.paused = $('pause').checked;
    saveControls();
    call('pauseLearning', state.controls.paused);
    renderProfile();
  });
  $('personalize').addEventListener('change', () => {
    state.controls.personalized = $('personalize').checked;
    saveControls();
    call('setPersonalization', state.controls.personalized);
    $('controls-status').textContent = state.controls.personalized
      ? 'Personalized again: your feed ranks with what it learned.'
      : 'Not personalized: the feed follows the server\'s order under your blocks and learns nothing. What it learned is kept.';
    renderProfile();
  });
  $('refresh').addEventListener('click', async () => {
    call('refreshFeed');
    await persistNow();
    await restart('Feed refreshed: the ranker starts over as if new; the creators you follow and your controls stay.');
  });
  $('export').addEventListener('click', exportProfile);
  $('import-file').addEventListener('change', async () => {
    const f = $('import-file').files?.[0];
    if (f) await importProfile(f);
    $('import-file').value = '';
  });
  $('delete-all').addEventListener('click', deleteEverything);
  $('forget-last').addEventListener('click', forgetLast);
  $('empty').addEventListener('click', startAgain);
  $('create-category').addEventListener('change', loadTrends);
  $('draft').addEventListener('input', renderDraft);
  document.addEventListener('visibilitychange', () => { if (document.hidden) persistNow(); });
  setInterval(tick, 100);
}

async function main() {
  wire();
  buildSliders();
  renderControls();
  const info = await fetch('/api/catalog');
  if (info.ok) state.catalog = await info.json();
  if (state.catalog.credit) {
    const c = state.catalog.credit;
    $('credit').textContent = `Catalog: ${c.name} (${c.authors}, ${c.title}), ${c.license}; creators, sounds, durations and safety labels are simulated.`;
  } else {
    $('credit').textContent = 'Catalog: generated by the demo server.';
  }
  buildTopics();
  $('create-category').replaceChildren(...state.catalog.categories.map((c) =>
    Object.assign(document.createElement('option'), { value: c.name, textContent: `${c.name} (${c.items})` })));
  state.ranker = await reelrank.createRanker({
    embeddingDim: 32,
    seed: 1,
    persist: { dbName: 'reelrank-demo', debounceMs: 300 },
  });
  call('setPolicy', { rules: DEMO_POLICY.rules });
  applyControls();
  if (DEBUG) {
    window.__reelrank = {
      speed: SPEED,
      shownCount: 0,
      get shown() { return state.shown.map((x) => ({ ...x })); },
      get current() { return state.current ? { id: state.current.item.id, category: state.current.item.category, creator: state.current.item.author, watchedMs: state.current.watchedMs, loops: state.current.loops } : null; },
      get missing() { return [...state.missing]; },
      get controls() { return JSON.parse(JSON.stringify(state.controls)); },
      summary: () => summary(),
      explain: (id) => state.ranker.explain(id),
      unseenByCreator: (c) => unseen().filter((x) => x.author === c).length,
      flush: () => persistNow(),
      unsafeLabels: UNSAFE_LABELS,
    };
  }
  await showNext();
  renderProfile();
  renderStatus();
  loadTrends();
}

main().catch((e) => {
  $('status').textContent = `error: ${e.message}`;
  $('status').dataset.state = 'error';
  console.error(e);
});
