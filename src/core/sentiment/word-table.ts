const FIRST_CAPACITY = 1 << 12;
/**
 * No word is stored further than this from its home slot, so no lookup walks further:
 * words a hostile text made collide are simply not memoised (they cost a fresh lookup each).
 */
const MAX_PROBE = 16;
/**
 * A per-process seed: which words collide cannot be worked out ahead of time and replayed
 * against a running service. Verdicts never depend on it, only where words are stored.
 */
const SEED = (Math.random() * 0x100000000) | 0;

/**
 * A map from words to values for the scorer's per-token lookup. A `Map` has to hash each
 * token's freshly sliced string in the runtime before it can look it up (profiled: the
 * largest single cost of the pass); this table hashes the word in a few JS operations and
 * compares it once. Open addressing with linear probing, never more than half full.
 * Bounded: it starts over once it holds `limit` words, since mentions bring an open vocabulary.
 */
export class WordTable<V> {
  // Per slot: the word's hash (0 marks a free slot); then the word and its value side by
  // side in one array (slot 2k and 2k + 1), so a hit reads one place of memory, not two.
  private hashes = new Int32Array(FIRST_CAPACITY);
  private pairs: unknown[] = new Array<unknown>(2 * FIRST_CAPACITY).fill(undefined);
  private size = 0;

  constructor(private readonly limit: number) {}

  get(word: string): V | undefined {
    const h = hashOf(word);
    const mask = this.hashes.length - 1;
    let slot = h & mask;
    for (let probe = 0; probe <= MAX_PROBE && this.hashes[slot] !== 0; probe++, slot = (slot + 1) & mask) {
      if (this.hashes[slot] === h && this.pairs[2 * slot] === word) return this.pairs[2 * slot + 1] as V | undefined;
    }
    return undefined;
  }

  /** Adds a word the table does not hold; a word with no free slot near its home is left out. */
  add(word: string, value: V): void {
    if (this.size >= this.limit) this.clear(FIRST_CAPACITY);
    else if (2 * (this.size + 1) > this.hashes.length) this.grow();
    this.insert(hashOf(word), word, value);
  }

  /** How many words the table holds. */
  get count(): number {
    return this.size;
  }

  private insert(h: number, word: string, value: V | undefined): void {
    const mask = this.hashes.length - 1;
    let slot = h & mask;
    for (let probe = 0; this.hashes[slot] !== 0; probe++, slot = (slot + 1) & mask) {
      if (probe === MAX_PROBE) return;
    }
    this.hashes[slot] = h;
    this.pairs[2 * slot] = word;
    this.pairs[2 * slot + 1] = value;
    this.size++;
  }

  /** Empties the table, leaving it `capacity` slots. */
  private clear(capacity: number): void {
    this.hashes = new Int32Array(capacity);
    this.pairs = new Array<unknown>(2 * capacity).fill(undefined);
    this.size = 0;
  }

  /** Doubles the slots, moving every word to its place in the larger table. */
  private grow(): void {
    const { hashes, pairs } = this;
    this.clear(2 * hashes.length);
    for (let k = 0; k < hashes.length; k++) if (hashes[k] !== 0) this.insert(hashes[k]!, pairs[2 * k] as string, pairs[2 * k + 1] as V | undefined);
  }
}

/** FNV-1a over the word's UTF-16 code units, from the process's seed; never 0, which marks a free slot. */
function hashOf(word: string): number {
  let h = (0x811c9dc5 ^ SEED) | 0;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h === 0 ? 1 : h;
}
