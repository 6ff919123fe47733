// The inputs survive a reload in IndexedDB (texts can be megabytes, too
// much for localStorage). Nothing is sent anywhere. The slot list and
// settings are one record; each slot's file samples are a record of their
// own, rewritten only when they change, so renaming a slot does not copy
// megabytes of text.

const DB = "lineage";
const STORE = "state";
const META = "meta";
const samplesKey = (slotId) => `samples:${slotId}`;

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs `action(store)` in one transaction; resolves when it commits. */
async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      let result;
      Promise.resolve(action(tx.objectStore(STORE))).then((r) => (result = r), reject);
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

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

/** save(), at most once per `ms`, always with the latest state. */
export function debounced(getState, ms, onError) {
  let timer = null;
  const flush = () => {
    timer = null;
    save(getState()).catch(onError);
  };
  return () => {
    if (timer === null) timer = setTimeout(flush, ms);
  };
}
