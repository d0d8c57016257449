// Type definitions for reelrank (hand-written; checked by tests/types).
//
// reelrank ranks short-video candidates on the device. The profile it learns
// stays in this origin's IndexedDB and is never sent anywhere.

/** Stable machine names of {@link RankerError.code}. */
export type RankerErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'failed_precondition'
  | 'data_loss'
  | 'unimplemented'
  | 'internal'
  | 'closed'
  | 'unavailable'
  | 'storage';

/**
 * The one error type of the package. Every method throws (or, when async,
 * rejects with) a RankerError. The message names the offending field first,
 * e.g. `candidates[3].embedding: expected 32 floats, got 16`.
 *
 * Strings passed in must be well-formed UTF-16: one holding a lone surrogate
 * (which has no UTF-8 form) is rejected naming its field, so ids always come
 * back exactly as given. Objects passed as JSON (policy, weights, model pack,
 * config) that JSON cannot write (a BigInt, a cycle) are rejected with
 * `invalid_argument` naming the argument.
 */
export class RankerError extends Error {
  /** Always "RankerError". */
  readonly name: 'RankerError';
  /** What went wrong, as a stable machine name. */
  readonly code: RankerErrorCode;
  /** @internal */
  constructor(code: RankerErrorCode, message: string, options?: { cause?: unknown });
}

/** Objective ("head") names, in the core's order. */
export type HeadName = 'continue' | 'watch_ratio' | 'finish' | 'like' | 'follow' | 'share' | 'comment' | 'negative';
/** The objective heads the user may re-weight (weights in [0, 5]). */
export type AdjustableHead = 'watch_ratio' | 'finish' | 'like' | 'follow' | 'share' | 'comment';
/** The eight head names, in order. */
export const HEADS: readonly HeadName[];

/** What the user did with a shown item. */
export type EventKind =
  | 'impression' | 'progress' | 'complete' | 'replay' | 'like' | 'unlike' | 'follow' | 'share'
  | 'comment' | 'swipe_away' | 'not_interested' | 'report' | 'profile_visit';
/** Every {@link EventKind}. */
export const EVENT_KINDS: readonly EventKind[];

/** Content maturity: a number 0..2 or its name. */
export type Maturity = 0 | 1 | 2 | 'general' | 'teen' | 'mature';

/**
 * One item the server proposes. Field names follow the server's JSON (and
 * the core). Invalid candidates are rejected one by one, never the batch.
 * Every string has a size limit in UTF-8 bytes (core/include/reelrank/limits.h):
 * id, author, sound 256; category 128; each tag 128 and at most 64 tags;
 * caption 16384; region 32; each safety label name 64 and at most 32 labels.
 * Beyond it the candidate is rejected, e.g.
 * "candidates[3].caption: 20971520 bytes, limit 16384".
 */
export interface Candidate {
  /** Required, non-empty, unique in a batch. */
  id: string;
  /** Creator id. */
  author?: string;
  /** Hashtags / topic tags, without '#'. */
  tags?: string[];
  /** Top-level category. */
  category?: string;
  /** Sound / music id. */
  sound?: string;
  /** Free text (used by keyword policies). */
  caption?: string;
  /** ISO region of the upload. */
  region?: string;
  /** Duration in ms, 0 to 7 days; 0 = not a video (a photo post: its dwell counts against a nominal 10 s). */
  duration_ms: number;
  /** Upload time, unix ms (0 or absent = unknown). */
  created_at?: number;
  /**
   * Optional dense embedding: exactly `embeddingDim` finite floats, as an
   * Array of numbers or a numeric typed array (not BigInt64Array, not a string).
   */
  embedding?: Float32Array | Float64Array | readonly number[];
  /** Safety classifier verdicts, label -> confidence in [0, 1]. */
  safety?: Record<string, number>;
  /** Maturity rating (default general). */
  maturity?: Maturity;
  /** The server's non-personal value estimate in [0, 1] (default 0.5). */
  server_score?: number;
}

/** The situation of a ranking request. snake_case keys are accepted too. */
export interface RankContext {
  /**
   * Client clock, unix ms. Default Date.now(). At most one day ahead of the
   * ranker's clock (the latest of: the latest accepted event, the `nowMs` of
   * the latest rank / next, the device clock when the ranker was created),
   * else rejected with `invalid_argument`
   * naming `event.timestampMs`: one event with a wrong clock cannot expire
   * what the profile learned. Late events (behind the clock) are accepted.
   */
  nowMs?: number;
  /** Local hour 0..23. Default: the local hour of nowMs. */
  hourOfDay?: number;
  /** Items shown so far in this session (>= 0). */
  sessionDepth?: number;
  /** Where the feed is shown. Default "for_you". */
  surface?: 'for_you' | 'following' | 'search' | 'profile' | 0 | 1 | 2 | 3;
  /** Same as nowMs. */
  now_ms?: number;
  /** Same as hourOfDay. */
  hour_of_day?: number;
  /** Same as sessionDepth. */
  session_depth?: number;
}

/** One feature's signed share of an item's value (for "why this video"). */
export interface Contribution {
  /** "prior", "tag", "author", "sound", "category", "duration", "cross", "interest_long", "interest_session", "not_interested", "seen". */
  kind: string;
  /** Readable name, e.g. "#cooking", "@creator_4", "server score". */
  label: string;
  /** Signed contribution to {@link RankedItem.value}. */
  value: number;
}

/** One ranked candidate. */
export interface RankedItem {
  /** The candidate's id. */
  id: string;
  /** Position of the candidate in the array passed to rank(). */
  index: number;
  /** The item's value (higher is better); the list is sorted by it. */
  value: number;
  /** Per-objective predictions in [0, 1]. */
  heads: Record<HeadName, number>;
  /** The largest contributions, largest |value| first. */
  contributions: Contribution[];
  /** The item was shown before (seen-item memory). */
  seen: boolean;
  /** Policy outcome (never "drop": dropped items are not ranked). */
  action: 'allow' | 'boost' | 'demote' | 'interstitial';
  /** The rule that decided `action` ("" when none). */
  ruleId: string;
  /** Policy multiplier, already applied to `value`. */
  policyMultiplier: number;
  /** Show a warning before playing this item. */
  interstitial: boolean;
  /** An exploration pick. */
  explored: boolean;
  /** Position before diversity reordering (its own position if unmoved). */
  preDiversityRank: number;
}

/** A valid candidate that the policy dropped (never returned). */
export interface DroppedItem {
  /** Position in the array passed to rank(). */
  index: number;
  /** The candidate's id. */
  id: string | undefined;
  /** The rule, e.g. "violence", "user:blocked_author:bob", "fatigue:topic:golf". */
  ruleId: string;
  /** Who decided. */
  source: 'none' | 'operator' | 'user' | 'fatigue';
  /** Human-readable reason. */
  reason: string;
}

/** A candidate that was skipped, with the reason. */
export interface Rejection {
  /** Position in the array passed to rank(). */
  index: number;
  /** The candidate's id, when it had one. */
  id: string | undefined;
  /** Error code, e.g. "invalid_argument". */
  code: RankerErrorCode;
  /** Field-named reason, e.g. "candidates[2].caption: 20971520 bytes, limit 16384". */
  message: string;
}

/** The result of {@link Ranker.rank}. */
export interface RankResult {
  /** Valid candidates, best first. */
  ranked: RankedItem[];
  /** Invalid candidates in input order. */
  rejected: Rejection[];
  /** Candidates the policy dropped, in input order. */
  dropped: DroppedItem[];
  /** Fields reelrank ignored, one entry per name (see {@link FieldWarning}). */
  warnings: FieldWarning[];
}

/**
 * A candidate field reelrank does not read (a typo, or another API's name:
 * `creator` for `author`, `hashtags` for `tags`), reported once per name.
 * The candidates are ranked all the same; the field is ignored.
 */
export interface FieldWarning {
  /** The field name as given. */
  field: string;
  /** How many candidates of the batch have it. */
  count: number;
  /** The first candidate (input index) with it. */
  index: number;
  /** e.g. "candidates[0].creator: unknown field, ignored in 20 candidates (did you mean 'author'?)". */
  message: string;
}

/** The result of {@link Ranker.setCandidates}. */
export interface CandidateBatch {
  /** How many candidates were registered (valid ones). */
  accepted: number;
  /** Invalid candidates in input order, with field-named reasons; left out of every rank. */
  rejected: Rejection[];
  /** Fields reelrank ignored, one entry per name (empty when every field is known). */
  warnings: FieldWarning[];
}

/**
 * The result of `rank(context)` on the batch registered with
 * {@link Ranker.setCandidates}: typed columns, best first, with per-item
 * objects built only when asked for ({@link RankedBatch.item},
 * {@link RankedBatch.ranked}). Reading `id(0)`, `order`, `values` or `heads`
 * allocates nothing per candidate. The columns are copies: later calls
 * never change them.
 */
export class RankedBatch {
  /** @internal Returned by rank(context). */
  private constructor();
  /** Number of ranked items. */
  readonly length: number;
  /** Input index (position in the array given to setCandidates) of each ranked item, best first. */
  readonly order: Int32Array;
  /** Value of each ranked item, best first (see {@link RankedItem.value}). */
  readonly values: Float64Array;
  /** Head predictions, `length` x 8 row-major, heads in {@link HEADS} order. */
  readonly heads: Float32Array;
  /** Invalid candidates of the batch, input order (as returned by setCandidates). */
  readonly rejected: Rejection[];
  /** Candidates the policy dropped in this rank, input order. */
  readonly dropped: DroppedItem[];
  /** Every item as a {@link RankedItem}, best first (built on first access, then cached). */
  readonly ranked: RankedItem[];
  /** The id of the item at position `i` (0 = best). */
  id(i: number): string;
  /** Whether the item at position `i` was shown before. */
  seen(i: number): boolean;
  /** The item at position `i` as a new {@link RankedItem}; undefined out of range. */
  item(i: number): RankedItem | undefined;
}

/** The item the full-screen feed shows now (from every candidate ranked so far, not yet shown). */
export interface NextItem extends Omit<RankedItem, 'index'> {
  /**
   * Its index in the batch registered with setCandidates (show
   * `candidates[batchIndex]`), or -1 when it came from an earlier batch.
   */
  batchIndex: number;
}

/** One thing the user did with one shown item. */
export interface FeedEvent {
  /** Unique id (for forget()), at most 256 UTF-8 bytes; generated when absent. */
  eventId?: string;
  /** The id of a candidate this ranker has ranked. */
  itemId: string;
  /** What happened. */
  kind: EventKind;
  /**
   * Client clock, unix ms. Default Date.now(). At most one day ahead of the
   * ranker's clock (the latest of: the latest accepted event, the `nowMs` of
   * the latest rank / next, the device clock when the ranker was created),
   * else rejected with `invalid_argument`
   * naming `event.timestampMs`: one event with a wrong clock cannot expire
   * what the profile learned. Late events (behind the clock) are accepted.
   */
  timestampMs?: number;
  /** progress / swipe_away: time on the item so far, ms (>= 0). */
  dwellMs?: number;
  /** swipe_away: swipe speed in screen heights per second (>= 0). */
  velocity?: number;
}

/** Why one item got its place (or was dropped); see core/include/reelrank/explain.h. */
export interface Explanation {
  /** The item. */
  itemId: string;
  /** Its value after the policy multiplier. */
  value: number;
  /** Position in the latest ranked list; -1 if not ranked. */
  position: number;
  /** The policy decision. */
  policy: { action: string; source: string; ruleId: string; reason: string; multiplier: number; interstitial: boolean; applied: string[] };
  /** The top contributions as sentences. */
  reasons: { kind: string; key: string; contribution: number; text: string }[];
  /** An exploration pick. */
  explored: boolean;
  /** What diversity did, as sentences. */
  diversity: string[];
  /** One line for the UI. */
  summary: string;
}

/** A topic the user is not interested in, optionally since a time. */
export type NotInterestedTopic = string | { topic: string; atMs?: number };

/**
 * The user's own controls. They always apply, above operator boosts. Every
 * string matches case-insensitively in Unicode (case folding and NFKC, so
 * "#CAFÉ" blocks "café" and "cafe\u0301"; "STRASSE" matches "Straße").
 * Each list holds at most 4096 entries of at most 256 UTF-8 bytes.
 */
export interface UserControls {
  /** Creators (author ids) never shown. */
  blockedCreators?: string[];
  /** Sounds never shown. */
  blockedSounds?: string[];
  /** Hashtags never shown (without '#'). */
  blockedHashtags?: string[];
  /**
   * Words or phrases in captions never shown: whole words by Unicode word
   * boundaries, so "spoiler" blocks “spoiler”, "spoiler…", "spoiler🔥",
   * "¿spoiler?" but not "spoilers"; text without spaces (Chinese, Japanese,
   * Thai) matches as a substring.
   */
  blockedKeywords?: string[];
  /** Highest maturity shown. */
  maturity?: 'general' | 'teen' | 'mature';
  /** Topics filtered, then discounted, after "not interested". */
  notInterestedTopics?: NotInterestedTopic[];
  /**
   * "Manage topics": per topic (matched against an item's category and
   * tags), "more" (its items' value x2) or "less" (x0.4); never a filter.
   * "normal" removes the entry. Kept with the profile, named by explain()
   * ("you asked for more cooking").
   */
  topics?: Record<string, 'more' | 'less' | 'normal'>;
}

/** One operator rule (see core/include/reelrank/policy.h for the full grammar). */
export interface PolicyRule {
  /** Unique rule id. */
  id: string;
  /** What the rule does to a matching item. */
  action: 'drop' | 'demote' | 'boost' | 'interstitial';
  /** demote: (0, 1); boost: (1, 100]. */
  multiplier?: number;
  /** Higher first; an integer in [-1e9, 1e9]. */
  priority?: number;
  /** Stop visiting lower-priority rules. */
  final?: boolean;
  /** Text shown to users. */
  reason?: string;
  /** Conditions; all present ones must hold. */
  match: Record<string, unknown>;
}

/**
 * Operator rules and/or user controls; absent parts are left unchanged. When
 * both are given they are validated before either is applied: on error
 * neither changes.
 */
export interface Policy {
  /** Operator policy version (default 1). */
  version?: number;
  /** The operator's rules (replace the current ones). */
  rules?: PolicyRule[];
  /** The user's controls (replace the current ones; persisted with the profile). */
  user?: UserControls;
}

/** What the ranker has learned, for a "your interests" screen. */
export interface ProfileSummary {
  /**
   * The features that move the ranking most, e.g. {name: "tag:cooking",
   * weight: 0.08}: `weight` is what an item with that feature gains (or
   * loses) in value from it now, so it is 0 while the personal terms have
   * not yet earned weight (see `stats.personalWeight`).
   */
  topInterests: { name: string; weight: number }[];
  /** Current objective weights. */
  objectiveWeights: Record<HeadName, number>;
  /** Sizes and counters of the profile. */
  stats: {
    features: number;
    seenItems: number;
    eventLog: number;
    knownItems: number;
    events: number;
    views: number;
    /**
     * Per head, in [0, 1]: how much the personal terms count now. They earn
     * it with evidence, measured on this user's own views, that they predict
     * better than the server's score alone; 0 = the server's order.
     */
    personalWeight: Record<HeadName, number>;
  };
  /** Whether learning is paused. */
  learningPaused: boolean;
  /** Whether the feed is personalized (see {@link Ranker.setPersonalization}). */
  personalization: boolean;
}

/** Why a stored profile could not be used ("missing": the head names a copy that is not there). */
export type StorageProblem = 'corrupt' | 'truncated' | 'unknown_version' | 'incompatible' | 'missing';

/**
 * Persistence notices, passed to `options.onStorageEvent`:
 * - `fresh`: nothing was saved yet; a new profile was started;
 * - `restored`: the saved profile was loaded;
 * - `recovered`: the current copy was unusable (`reason`); the backup was loaded;
 * - `reset`: no copy was usable; a new profile was started;
 * - `saved`: a save committed (`generation` counts saves);
 * - `error`: opening, loading or saving failed (`op`, `message`); the ranker keeps working;
 * - `off`: persistence is off ({@link Ranker.storage} only).
 */
export type StorageEvent =
  | { type: 'off' }
  | { type: 'fresh' }
  | { type: 'restored'; source: 'current'; generation: number }
  | { type: 'recovered'; source: 'backup'; reason: StorageProblem; problems: { slot: 'a' | 'b'; reason: StorageProblem }[]; generation: number }
  | { type: 'reset'; reason: StorageProblem; problems: { slot: 'a' | 'b'; reason: StorageProblem }[] }
  | { type: 'saved'; generation: number }
  | { type: 'error'; op: 'open' | 'load' | 'save'; message: string };

/** A stored envelope around the core's profile JSON. */
export interface StoredRecord {
  /** Always "reelrank-store". */
  format: 'reelrank-store';
  /** Envelope version (1); others are reported as "unknown_version". */
  version: number;
  /** Save counter, increasing. */
  generation: number;
  /** Client clock at save, unix ms. */
  savedAt: number;
  /** profile.length, to detect truncation. */
  length: number;
  /** The core's profile JSON (versioned, checksummed). */
  profile: string;
  /** Settings re-applied on restore. */
  settings: { objectiveWeights: Partial<Record<AdjustableHead, number>>; user?: UserControls };
}

/**
 * Where profiles are kept. The default is IndexedDB; {@link memoryStore}
 * gives one in memory. `write` must be atomic (record and head together) and
 * resolve only once durable.
 */
export interface ProfileStore {
  /** Reads the head and both slots (values may be corrupt). */
  load(): Promise<{ head?: 'a' | 'b'; a?: unknown; b?: unknown }>;
  /** Writes `record` into `slot` and makes it the head, atomically. */
  write(slot: 'a' | 'b', record: StoredRecord): Promise<void>;
  /** Releases resources. */
  close?(): void;
}

/** Persistence settings. */
export interface PersistOptions {
  /** IndexedDB database name. Default "reelrank". */
  dbName?: string;
  /** Profile key inside the database (one per user / ranker). Default "default". */
  key?: string;
  /** Delay between the last change and the save, ms. Default 500. */
  debounceMs?: number;
  /** A custom store instead of IndexedDB (not with createRankerWorker). */
  store?: ProfileStore;
}

/** Options of {@link createRanker} and {@link createRankerWorker}. */
export interface RankerOptions {
  /** Embedding dimension, 1..1024. Default 32 (or config.embedding_dim). */
  embeddingDim?: number;
  /** Seed of every random choice (exploration). Default 1. */
  seed?: number;
  /** RankerConfig JSON (see core/include/reelrank/config.h); missing keys keep defaults. */
  config?: Record<string, unknown>;
  /** Global (non-personal) head weights, as an object or JSON text. */
  modelPack?: object | string;
  /** Operator rules and user controls applied at creation. */
  policy?: Policy;
  /**
   * Keep the profile in IndexedDB. Default: on where IndexedDB exists
   * (browsers, workers), off elsewhere (node).
   */
  persist?: boolean | PersistOptions;
  /** Where reelrank_core.js and .wasm live. Default: ./dist/ next to the package's index.js. */
  baseUrl?: string | URL;
  /** Called with persistence notices, including those during creation. */
  onStorageEvent?: (event: StorageEvent) => void;
}

/** Options of {@link createRankerWorker}. */
export interface WorkerRankerOptions extends RankerOptions {
  /** URL of the worker script. Default: the package's worker.js. */
  workerUrl?: string | URL;
}

/**
 * One on-device ranker (synchronous methods). Not shareable between
 * threads; use {@link createRankerWorker} to run one off the main thread.
 */
export class Ranker {
  /** @internal Use createRanker(). */
  private constructor();
  /** Embedding dimension this ranker expects. */
  readonly embeddingDim: number;
  /** The outcome of restoring the saved profile at creation. */
  readonly storage: StorageEvent;
  /** Whether learning is paused. */
  readonly learningPaused: boolean;
  /** Whether the feed is personalized (see {@link Ranker.setPersonalization}). */
  readonly personalization: boolean;
  /**
   * Registers a server batch (replacing the previous one): packs and
   * validates it once, so that {@link Ranker.rank | rank(context)} can rank
   * it after every swipe with only the context crossing into wasm. Malformed
   * candidates are listed in `rejected` (field-named reasons) and left out.
   * Throws invalid_argument when `candidates` is not an array.
   */
  setCandidates(candidates: readonly Candidate[]): CandidateBatch;
  /** Forgets the registered batch and frees its memory. */
  clearCandidates(): void;
  /**
   * One-shot: ranks `candidates`, best first, with every item built.
   * "Best first" = by value after the policy (dropped items removed);
   * exploration and diversity shape {@link Ranker.next} (the feed) and apply
   * here only with the config `rank_feed_order: true`.
   * Malformed ones are listed in `rejected`; the rest are ranked. Learns
   * nothing; the registered batch is left alone. For a feed that re-ranks
   * the same batch, prefer setCandidates + rank(context).
   */
  rank(candidates: readonly Candidate[], context?: RankContext): RankResult;
  /**
   * Ranks the batch registered with {@link Ranker.setCandidates} (the fast
   * path: typed columns, items built on demand). Throws failed_precondition
   * when no batch is registered. Learns nothing.
   */
  rank(context?: RankContext): RankedBatch;
  /** The single item the full-screen feed shows now, or null when nothing can be shown. */
  next(context?: RankContext): NextItem | null;
  /** Learns from one event now; returns its eventId. Throws not_found for an item never ranked. */
  observe(event: FeedEvent): string;
  /** Why `id` was ranked where it was. */
  explain(id: string): Explanation;
  /**
   * The profile as versioned JSON with a checksum: what was learned and what
   * the user set (objective weights, blocks, topic levels, not-interested
   * topics). The personalization switch is a device setting, not in it.
   */
  exportProfile(): string;
  /** Replaces the learned profile (data_loss / unimplemented / invalid_argument on bad input; then nothing changes). */
  importProfile(profile: string): void;
  /** Rebuilds the profile as if the event had never happened (not_found, failed_precondition). */
  forget(eventId: string): void;
  /** Forgets everything learned, follows included; settings and the model pack stay. */
  reset(): void;
  /**
   * "Refresh your feed": starts over as if new, keeping the creators the
   * user follows (their items keep a x1.5 lift, and explain() says "it's by
   * a creator you follow"), the user's controls and the objective weights.
   */
  refreshFeed(): void;
  /** Re-weights user-adjustable objectives (all or nothing), e.g. {like: 2}. */
  setObjectiveWeights(weights: Partial<Record<AdjustableHead, number>>): void;
  /** Sets operator rules and/or user controls. */
  setPolicy(policy: Policy): void;
  /** Pauses (true) or resumes (false) learning. */
  pauseLearning(paused?: boolean): void;
  /**
   * The non-personalized feed (EU DSA Art. 38). `false`: rank() and next()
   * follow the server's score under the operator policy and the user's
   * controls, and nothing is learned (observe() validates, then changes
   * nothing; an impression still moves next() on). Of the profile, only
   * which items were already shown is read (next() does not repeat them). The profile is kept: `true` ranks exactly as before.
   * Saved with the user's settings. Default `true`.
   */
  setPersonalization(on: boolean): void;
  /** Loads global (non-personal) head weights. */
  loadModelPack(pack: object | string): void;
  /** What the ranker has learned: top `k` interests (default 10), weights, stats. */
  profileSummary(k?: number): ProfileSummary;
  /** Saves pending changes now; resolves after the storage commit. */
  flush(): Promise<void>;
  /** Saves pending changes and frees the wasm memory; the ranker is unusable at once. */
  close(): Promise<void>;
}

/** The same API as {@link Ranker}, running in a module Web Worker; every method is async. */
export class WorkerRanker {
  /** @internal Use createRankerWorker(). */
  private constructor();
  /** Embedding dimension this ranker expects. */
  readonly embeddingDim: number;
  /** The outcome of restoring the saved profile at creation. */
  readonly storage: StorageEvent;
  /** See {@link Ranker.setCandidates}; the packed batch is transferred to the worker. */
  setCandidates(candidates: readonly Candidate[]): Promise<CandidateBatch>;
  /** See {@link Ranker.clearCandidates}. */
  clearCandidates(): Promise<void>;
  /** See {@link Ranker.rank}; the packed batch is transferred to the worker. */
  rank(candidates: readonly Candidate[], context?: RankContext): Promise<RankResult>;
  /** See {@link Ranker.rank}; the result columns are transferred back. */
  rank(context?: RankContext): Promise<RankedBatch>;
  /** See {@link Ranker.next}. */
  next(context?: RankContext): Promise<NextItem | null>;
  /** See {@link Ranker.observe}. */
  observe(event: FeedEvent): Promise<string>;
  /** See {@link Ranker.explain}. */
  explain(id: string): Promise<Explanation>;
  /** See {@link Ranker.exportProfile}. */
  exportProfile(): Promise<string>;
  /** See {@link Ranker.importProfile}. */
  importProfile(profile: string): Promise<void>;
  /** See {@link Ranker.forget}. */
  forget(eventId: string): Promise<void>;
  /** See {@link Ranker.reset}. */
  reset(): Promise<void>;
  /** See {@link Ranker.refreshFeed}. */
  refreshFeed(): Promise<void>;
  /** See {@link Ranker.setObjectiveWeights}. */
  setObjectiveWeights(weights: Partial<Record<AdjustableHead, number>>): Promise<void>;
  /** See {@link Ranker.setPolicy}. */
  setPolicy(policy: Policy): Promise<void>;
  /** See {@link Ranker.pauseLearning}. */
  pauseLearning(paused?: boolean): Promise<void>;
  /** See {@link Ranker.setPersonalization}. */
  setPersonalization(on: boolean): Promise<void>;
  /** See {@link Ranker.loadModelPack}. */
  loadModelPack(pack: object | string): Promise<void>;
  /** See {@link Ranker.profileSummary}. */
  profileSummary(k?: number): Promise<ProfileSummary>;
  /** See {@link Ranker.flush}. */
  flush(): Promise<void>;
  /** Saves pending changes, frees the ranker and terminates the worker. */
  close(): Promise<void>;
}

/**
 * Loads the wasm module (once per location) and creates a ranker, restoring
 * the saved profile when persistence is on.
 *
 * @example
 * const ranker = await createRanker({ embeddingDim: 32, onStorageEvent: console.log });
 * const { ranked } = ranker.rank(candidates, { nowMs: Date.now() });
 */
export function createRanker(options?: RankerOptions): Promise<Ranker>;

/**
 * Starts a module Web Worker running a ranker (same options and methods,
 * all async). Rejects with code "unavailable" where Workers do not exist.
 */
export function createRankerWorker(options?: WorkerRankerOptions): Promise<WorkerRanker>;

/** A {@link ProfileStore} in memory (tests, or apps that keep profiles elsewhere). */
export function memoryStore(): ProfileStore;
