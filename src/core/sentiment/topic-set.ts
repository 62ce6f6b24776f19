import type { CueHit, CueTopic } from './cue-pattern.js';

/**
 * The cue topics a text matched. Most texts match none and few match more than two, while
 * the verdict asks a few dozen questions of them: a short list answers those faster than a
 * hash set, whose every `has` is a hash-table lookup (profiled: about 2% of the pass).
 */
export class TopicSet {
  private readonly topics: CueTopic[] = [];

  /** The distinct topics of `cues`. */
  static of(cues: readonly CueHit[]): TopicSet {
    const set = new TopicSet();
    for (let k = 0; k < cues.length; k++) set.add(cues[k]!.topic);
    return set;
  }

  add(topic: CueTopic): void {
    if (!this.has(topic)) this.topics.push(topic);
  }

  has(topic: CueTopic): boolean {
    const topics = this.topics;
    for (let k = 0; k < topics.length; k++) if (topics[k] === topic) return true;
    return false;
  }

  /** Whether any of these topics is in `among`. */
  hasAnyOf(among: ReadonlySet<CueTopic>): boolean {
    const topics = this.topics;
    for (let k = 0; k < topics.length; k++) if (among.has(topics[k]!)) return true;
    return false;
  }
}
