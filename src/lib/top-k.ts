// The one heap: bounded selection of the best k items by a numeric key (higher first) with a
// numeric tie-break (lower first), O(n log k) instead of sorting every match. The directory
// keeps its page with it; the finder keeps the scores its pruning must beat.
export class TopK {
  private readonly keys: Float64Array;
  private readonly ties: Float64Array;
  private readonly items: Int32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.keys = new Float64Array(k);
    this.ties = new Float64Array(k);
    this.items = new Int32Array(k);
  }

  /** k items are held: a new one enters only by beating the worst. */
  full(): boolean {
    return this.size >= this.k;
  }

  /** Key of the worst item held (the heap's root); meaningful once something was pushed. */
  worstKey(): number {
    return this.keys[0] as number;
  }

  /** a is worse than b: lower key, or equal key and higher tie-break. */
  private worse(ka: number, ta: number, kb: number, tb: number): boolean {
    return ka < kb || (ka === kb && ta > tb);
  }

  push(item: number, key: number, tie: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      // Sift up in a min-heap of "worst at the root".
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(key, tie, this.keys[parent] as number, this.ties[parent] as number)) break;
        this.move(parent, i);
        i = parent;
      }
      this.place(i, item, key, tie);
      return;
    }
    if (!this.worse(this.keys[0] as number, this.ties[0] as number, key, tie)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      let c = l;
      if (
        r < this.size &&
        this.worse(
          this.keys[r] as number,
          this.ties[r] as number,
          this.keys[l] as number,
          this.ties[l] as number,
        )
      )
        c = r;
      if (!this.worse(this.keys[c] as number, this.ties[c] as number, key, tie)) break;
      this.move(c, i);
      i = c;
    }
    this.place(i, item, key, tie);
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from] as number;
    this.ties[to] = this.ties[from] as number;
    this.items[to] = this.items[from] as number;
  }

  private place(i: number, item: number, key: number, tie: number): void {
    this.keys[i] = key;
    this.ties[i] = tie;
    this.items[i] = item;
  }

  /** Items best first, with their keys. */
  sorted(): { item: number; key: number }[] {
    const out: { item: number; key: number; tie: number }[] = [];
    for (let i = 0; i < this.size; i++) {
      out.push({
        item: this.items[i] as number,
        key: this.keys[i] as number,
        tie: this.ties[i] as number,
      });
    }
    out.sort((a, b) => b.key - a.key || a.tie - b.tie);
    return out.map(({ item, key }) => ({ item, key }));
  }
}
