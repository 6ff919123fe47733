// The inputs survive a reload in IndexedDB (texts can be megabytes, too
// much for localStorage). Nothing is sent anywhere.

const DB = "lineage";
const STORE = "state";
const KEY = "current";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** The saved state, or null. */
export const load = () => run("readonly", (s) => s.get(KEY)).then((v) => v ?? null);
export const save = (state) => run("readwrite", (s) => s.put(state, KEY));
export const clear = () => run("readwrite", (s) => s.delete(KEY));

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
