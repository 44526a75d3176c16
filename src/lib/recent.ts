// Least-recently-used order kept by a Map, which iterates in insertion order: a read moves its
// entry to the end, so the first key is always the one to evict.

/** The entry of `key`, moved to the most recently used end. */
export function touch<K, V>(entries: Map<K, V>, key: K): V | undefined {
  const hit = entries.get(key);
  if (hit !== undefined) {
    entries.delete(key);
    entries.set(key, hit);
  }
  return hit;
}
