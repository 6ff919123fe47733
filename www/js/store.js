// The inputs survive a reload in IndexedDB (texts can be megabytes, too
// much for localStorage). Nothing is sent anywhere. The slot list and
// settings are one record; each slot's file samples are a record of their
// own, rewritten only when they change, so renaming a slot does not copy
// megabytes of text.

const DB = "lineage";
const STORE = "state";
const META = "meta";
const samplesKey = (slotId) => `samples:${slotId}`;

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

/** The saved state, or null. */
export async function load() {
  return run("readonly", async (store) => {
    const meta = await request(store.get(META));
    if (!meta) return null;
    for (const slot of meta.slots) {
      slot.fileSamples = (await request(store.get(samplesKey(slot.id)))) ?? [];
      written.set(slot.id, { array: slot.fileSamples, length: slot.fileSamples.length });
    }
    return meta;
  });
}

export function save(state) {
  return run("readwrite", (store) => {
    const slots = state.slots.map(({ fileSamples, ...rest }) => rest);
    store.put({ ...state, slots }, META);
    const live = new Set(state.slots.map((s) => s.id));
    for (const id of [...written.keys()]) {
      if (!live.has(id)) {
        store.delete(samplesKey(id));
        written.delete(id);
      }
    }
    for (const slot of state.slots) {
      const last = written.get(slot.id);
      if (last && last.array === slot.fileSamples && last.length === slot.fileSamples.length) continue;
      store.put(slot.fileSamples, samplesKey(slot.id));
      written.set(slot.id, { array: slot.fileSamples, length: slot.fileSamples.length });
    }
  });
}

export function clear() {
  written.clear();
  return run("readwrite", (store) => store.clear());
}

/**
 * save(), at most once per `ms`, always with the latest state. The
 * returned function has `flush()`, which writes a pending save at once
 * (the page calls it on `pagehide`, so an edit made just before a reload
 * is kept).
 */
export function debounced(getState, ms, onError) {
  let timer = null;
  const flush = () => {
    if (timer === null) return;
    clearTimeout(timer);
    timer = null;
    save(getState()).catch(onError);
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(flush, ms);
  };
  schedule.flush = flush;
  return schedule;
}
