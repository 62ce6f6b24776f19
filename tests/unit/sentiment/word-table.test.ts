import { describe, expect, it } from 'vitest';
import { TopicSet } from '../../../src/core/sentiment/topic-set.js';
import { WordTable } from '../../../src/core/sentiment/word-table.js';

describe('the word table', () => {
  it('returns what was added, falsy values included, and undefined for a word it never saw', () => {
    const table = new WordTable<number | string | null>(100);
    table.add('zero', 0);
    table.add('empty', '');
    table.add('nothing', null);
    expect(table.get('zero')).toBe(0);
    expect(table.get('empty')).toBe('');
    expect(table.get('nothing')).toBeNull();
    expect(table.get('unseen')).toBeUndefined();
    expect(table.get('')).toBeUndefined();
  });

  it('keeps every word as it grows well past its first size', () => {
    const table = new WordTable<number>(1_000_000);
    for (let i = 0; i < 50_000; i++) table.add(`w${i}`, i);
    let wrong = 0;
    for (let i = 0; i < 50_000; i++) if (table.get(`w${i}`) !== i) wrong++;
    // A word with no free slot near its home is left out (it costs a fresh lookup), never answered wrongly.
    expect(wrong).toBeLessThan(50);
    for (let i = 0; i < 50_000; i++) {
      const v = table.get(`w${i}`);
      if (v !== undefined) expect(v).toBe(i);
    }
  });

  it('starts over once it holds its limit, so an open vocabulary cannot grow it without end', () => {
    const table = new WordTable<number>(100);
    for (let i = 0; i < 250; i++) table.add(`w${i}`, i);
    expect(table.count).toBeLessThanOrEqual(100);
    expect(table.get('w249')).toBe(249);
    expect(table.get('w0')).toBeUndefined();
  });
});

describe('the topic set', () => {
  it('holds each topic once and answers membership like a Set', () => {
    const topics = TopicSet.of([
      { topic: 'waiting', weight: -2, text: 'on hold', at: 0 },
      { topic: 'anger', weight: -3, text: 'fed up', at: 10 },
      { topic: 'waiting', weight: -2, text: 'still waiting', at: 20 },
    ]);
    expect(topics.has('waiting')).toBe(true);
    expect(topics.has('anger')).toBe(true);
    expect(topics.has('praise')).toBe(false);
    expect(topics.hasAnyOf(new Set(['praise', 'anger'] as const))).toBe(true);
    expect(topics.hasAnyOf(new Set(['praise'] as const))).toBe(false);
    expect(TopicSet.of([]).hasAnyOf(new Set(['praise'] as const))).toBe(false);
  });
});
