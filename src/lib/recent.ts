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

/** Keeps `value` as the most recently used entry of `key`, evicting the least recent past `max`. */
export function keep<K, V>(entries: Map<K, V>, key: K, value: V, max: number): void {
  entries.delete(key);
  entries.set(key, value);
  if (entries.size > max) entries.delete(entries.keys().next().value as K);
}
