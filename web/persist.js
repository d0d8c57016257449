// Profile persistence: where a ranker's profile is kept between sessions.
//
// A store holds two slots ("a" and "b") and a head naming the current one.
// A save writes the new version into the slot that is NOT the last good one
// and switches the head to it in the same IndexedDB transaction, so the
// previous good version stays behind as the backup and a crash mid-save
// leaves either the old or the new version, never half of one. A save
// resolves only after the transaction has committed.
//
// Everything stays in this origin's IndexedDB: nothing is ever sent anywhere.

/** Envelope format written around the core's profile JSON. */
export const STORE_FORMAT = 'reelrank-store';
export const STORE_VERSION = 1;

export const otherSlot = (slot) => (slot === 'a' ? 'b' : 'a');

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(indexedDB, dbName) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains('profiles')) req.result.createObjectStore('profiles');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`IndexedDB '${dbName}' is blocked by another connection`));
  });
}

/**
 * A profile store in IndexedDB (database `dbName`, object store "profiles",
 * keys `<key>/head`, `<key>/a`, `<key>/b`).
 */
export async function indexedDbStore({ dbName = 'reelrank', key = 'default', indexedDB = globalThis.indexedDB } = {}) {
  if (!indexedDB) throw new Error('IndexedDB is not available here');
  const db = await openDb(indexedDB, dbName);
  db.onversionchange = () => db.close();
  const k = (s) => `${key}/${s}`;
  return {
    async load() {
      const tx = db.transaction('profiles', 'readonly');
      const os = tx.objectStore('profiles');
      const [head, a, b] = await Promise.all([request(os.get(k('head'))), request(os.get(k('a'))), request(os.get(k('b')))]);
      return { head: head?.current, a, b };
    },
    write(slot, record) {
      return new Promise((resolve, reject) => {
        const tx = db.transaction('profiles', 'readwrite', { durability: 'strict' });
        const os = tx.objectStore('profiles');
        os.put(record, k(slot));
        os.put({ current: slot, generation: record.generation }, k('head'));
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
      });
    },
    async clear() {
      const tx = db.transaction('profiles', 'readwrite');
      const os = tx.objectStore('profiles');
      for (const s of ['head', 'a', 'b']) os.delete(k(s));
      await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    },
    close() {
      db.close();
    },
  };
}

/**
 * A store in memory with the same contract (tests, node, or apps that keep
 * the profile elsewhere). Records are deep-copied in and out, like
 * IndexedDB's structured clone.
 */
export function memoryStore() {
  const data = { head: undefined, a: undefined, b: undefined };
  const clone = (v) => (v === undefined ? undefined : structuredClone(v));
  return {
    data,
    async load() {
      return { head: data.head, a: clone(data.a), b: clone(data.b) };
    },
    async write(slot, record) {
      data[slot] = clone(record);
      data.head = slot;
    },
    async clear() {
      data.head = data.a = data.b = undefined;
    },
    close() {},
  };
}

/**
 * Checks a stored envelope. Returns null when it is usable, else the reason
 * ("unknown_version", "truncated", "corrupt").
 */
export function checkRecord(record) {
  if (record === null || typeof record !== 'object' || record.format !== STORE_FORMAT) return 'corrupt';
  if (record.version !== STORE_VERSION) return 'unknown_version';
  if (typeof record.profile !== 'string' || record.profile.length !== record.length) return 'truncated';
  return null;
}
