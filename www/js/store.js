// The inputs survive a reload in IndexedDB (texts can be megabytes, too
// much for localStorage). Nothing is sent anywhere. The slot list and
// settings are one record; each slot's file samples are a record of their
// own, rewritten only when they change, so renaming a slot does not copy
// megabytes of text.
//
// A write started as the page is left can be lost (the browser may drop an
// IndexedDB transaction of a page being unloaded: about one reload in ten
// in Chromium, measured). So when the page is left with a save pending or
// unfinished, the slot list and settings (names, roles, pastes: no file
// samples) also go to localStorage, which writes at once, as a journal
// stamped like the saves; the next load takes the journal when it is newer
// than the saved record, and a finished save newer than the journal
// removes it.

const DB = "lineage";
const STORE = "state";
const META = "meta";
const samplesKey = (slotId) => `samples:${slotId}`;
const JOURNAL = "lineage:journal";
const RESULTS = "results";

// One connection for the page's life: a save started while the page is
// being left (pagehide) must create its transaction at once, not after an
// open() that would only finish once the page is gone.
let connection = null;
function open() {
  connection ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading the database: let it, and reopen next time.
      db.onversionchange = () => {
        db.close();
        connection = null;
      };
      resolve(db);
    };
    req.onerror = () => {
      connection = null;
      reject(req.error);
    };
  });
  return connection;
}

/** Runs `action(store)` in one transaction; resolves when it commits. */
async function run(mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    // The requests of a synchronous action are all queued by now;
    // commit() sends them at once instead of when the task ends, which
    // matters when the page is being unloaded (pagehide).
    Promise.resolve(action(tx.objectStore(STORE))).then((r) => (result = r), reject);
    if (mode === "readwrite" && tx.commit && !isAsync(action)) tx.commit();
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

const isAsync = (f) => f.constructor?.name === "AsyncFunction";

const request = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

/** What was last written per slot: the samples array and its length. */
const written = new Map();

/** The journal left by a page that was left mid-save, or null. */
function readJournal() {
  try {
    return JSON.parse(localStorage.getItem(JOURNAL));
  } catch {
    return null;
  }
}

/** The slot list and settings of `state`, without the file samples. */
const metaOf = (state) => ({ ...state, slots: state.slots.map(({ fileSamples, ...rest }) => rest) });

/** The saved state, or null (the journal's slot list and settings when it is newer). */
export async function load() {
  const journal = readJournal();
  return run("readonly", async (store) => {
    let meta = await request(store.get(META));
    if (journal?.state && journal.savedAt > (meta?.savedAt ?? 0)) meta = journal.state;
    if (!meta) return null;
    delete meta.savedAt;
    for (const slot of meta.slots) {
      const saved = await request(store.get(samplesKey(slot.id)));
      slot.fileSamples = Array.isArray(saved) ? saved : [];
      // Written in parts (see save): { parts: n }, then the parts.
      for (let k = 0; k < (saved?.parts ?? 0); k++) append(slot.fileSamples, (await request(store.get(partKey(slot.id, k)))) ?? []);
      written.set(slot.id, { array: slot.fileSamples, length: slot.fileSamples.length });
    }
    return meta;
  });
}

/** Appends without spreading (a part may hold more samples than a call takes arguments). */
function append(list, items) {
  for (const item of items) list.push(item);
}

/**
 * Samples per record. A slot with more is written in parts of this many,
 * each put in a task of its own (the next once the last is stored): the
 * browser copies what it stores on the page's thread, and megabytes of
 * samples in one put would hold the page (a 3 MB paste: 110 ms).
 */
const PART = 500;
const partKey = (slotId, k) => `samples:${slotId}:${k}`;
/** Every part of a slot's samples (keys `samples:ID:0` ... sort between these). */
const parts = (slotId) => IDBKeyRange.bound(`samples:${slotId}:`, `samples:${slotId}:\uffff`);

/** Writes `state`; `savedAt` stamps the record (see the journal above). */
export function save(state, savedAt = Date.now()) {
  const changed = state.slots.filter((slot) => {
    const last = written.get(slot.id);
    return !(last && last.array === slot.fileSamples && last.length === slot.fileSamples.length);
  });
  const inParts = changed.some((slot) => slot.fileSamples.length > PART);
  // What is written at once; returns the parts still to write, one put each.
  const start = (store) => {
    store.put({ ...metaOf(state), savedAt }, META);
    const live = new Set(state.slots.map((s) => s.id));
    for (const id of [...written.keys()]) {
      if (!live.has(id)) {
        store.delete(samplesKey(id));
        store.delete(parts(id));
        written.delete(id);
      }
    }
    const later = [];
    for (const slot of changed) {
      const samples = slot.fileSamples;
      store.delete(parts(slot.id));
      if (samples.length <= PART) {
        store.put(samples, samplesKey(slot.id));
      } else {
        const n = Math.ceil(samples.length / PART);
        store.put({ parts: n }, samplesKey(slot.id));
        for (let k = 0; k < n; k++) later.push([partKey(slot.id, k), samples.slice(k * PART, (k + 1) * PART)]);
      }
      written.set(slot.id, { array: samples, length: samples.length });
    }
    return later;
  };
  // Small saves stay synchronous, so that one made as the page is left commits at once.
  const action = inParts
    ? async (store) => {
        for (const [key, part] of start(store)) await request(store.put(part, key));
      }
    : (store) => void start(store);
  return run("readwrite", action).then(() => {
    // This save covers the journal (if it is not newer): the journal can go.
    if ((readJournal()?.savedAt ?? Infinity) <= savedAt) forgetJournal();
  });
}

function forgetJournal() {
  try {
    localStorage.removeItem(JOURNAL);
  } catch {
    // No localStorage (a private mode): there is no journal either.
  }
}

/**
 * Keeps the last analysis's results (`{ report, prompts, itemCounts, hash,
 * savedAt }`, `hash` the fingerprint of its inputs) for the next visit.
 */
export function saveResults(results) {
  return run("readwrite", (store) => void store.put(results, RESULTS));
}

/** The results kept by saveResults, or null. */
export function loadResults() {
  return run("readonly", (store) => request(store.get(RESULTS))).then((r) => r ?? null);
}

export function clear() {
  written.clear();
  forgetJournal();
  return run("readwrite", (store) => store.clear());
}

/**
 * save(), at most once per `ms`, always with the latest state. The
 * returned function has `flush()`, which writes a pending save at once
 * and, a save being pending or unfinished, the journal (the page calls it
 * on `pagehide`, so an edit made just before a reload is kept).
 */
export function debounced(getState, ms, onError) {
  let timer = null;
  let stamp = 0; // of the last save started
  let unfinished = 0;
  const write = () => {
    clearTimeout(timer);
    timer = null;
    stamp = Math.max(Date.now(), stamp + 1);
    unfinished++;
    save(getState(), stamp)
      .catch(onError)
      .finally(() => unfinished--);
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(write, ms);
  };
  schedule.flush = () => {
    const pending = timer !== null;
    if (pending) write();
    if (!pending && !unfinished) return;
    try {
      localStorage.setItem(JOURNAL, JSON.stringify({ savedAt: stamp, state: metaOf(getState()) }));
    } catch {
      // Over the quota (pastes of megabytes) or no localStorage: the save above is all there is.
    }
  };
  return schedule;
}
