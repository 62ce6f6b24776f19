import { describe, expect, it } from 'vitest';
import type { Polarity } from '../../../src/core/classification.js';
import { classify } from '../../../src/core/classify.js';
import { type Example, learnWordLeans, leanTableSource } from '../../../src/core/sentiment/word-lean.js';
import { WORD_LEANS } from '../../../src/core/sentiment/word-leans.js';
import { readCorpusFiles } from '../../support/word-lean-corpus.js';

const CORPUS_FILES = readCorpusFiles();
const CORPUS = Object.values(CORPUS_FILES).flat();

const LABELS: readonly Polarity[] = ['negative', 'neutral', 'positive'];

describe('the team-written corpus', () => {
  it('has posts of every label in every file, and no post twice', () => {
    const seen = new Set<string>();
    const twice: string[] = [];
    for (const [file, examples] of Object.entries(CORPUS_FILES)) {
      for (const label of LABELS) expect(examples.some(([l]) => l === label), `${file}: no ${label} post`).toBe(true);
      for (const [label, text] of examples) {
        expect(LABELS, `${file}: "${text}"`).toContain(label);
        expect(text.trim().length, `${file}: empty post`).toBeGreaterThan(0);
        const key = text.toLowerCase().replace(/\s+/g, ' ').trim();
        if (seen.has(key)) twice.push(`${file}: ${text}`);
        seen.add(key);
      }
    }
    expect(twice).toEqual([]);
  });

  // The table the scorer loads is learned ahead of time; after changing the corpus, run
  // `npm run corpus:learn` to rewrite it (CI refuses a stale table).
  it('matches the word-lean table the scorer loads', async () => {
    await expect(leanTableSource(learnWordLeans(CORPUS))).toMatchFileSnapshot('../../../src/core/sentiment/word-leans.ts');
  });
});

describe('learning word leans', () => {
  const posts = (label: Polarity, ...texts: string[]): Example[] => texts.map((t) => [label, t] as const);
  const examples: Example[] = [
    ...posts('negative', 'still waiting on my order', 'still no reply', 'still broken today', 'the order is late again'),
    ...posts('neutral', 'is the order shipped', 'what time today', 'order number is 42'),
    ...posts('positive', 'order arrived today, lovely', 'sorted, cheers', 'all sorted now'),
  ];
  const leans = learnWordLeans(examples);

  it('leans a word found mostly in complaints towards negative, and one found in thanks away from it', () => {
    expect(leans.get('still')).toBeGreaterThan(0.3);
    expect(leans.get('sorted')).toBeUndefined(); // two posts: too rare to say anything
    expect(leans.get('today')).toBeUndefined(); // in every kind of post
  });

  it('gives no lean to a word seen in fewer than three posts', () => {
    expect(leans.has('broken')).toBe(false);
    expect(leans.has('lovely')).toBe(false);
  });

  it('keeps every lean within the clip', () => {
    const many = learnWordLeans([...posts('negative', ...Array.from({ length: 50 }, (_, i) => `awful thing ${i}`)), ...posts('neutral', 'a thing')]);
    expect(many.get('awful')).toBeLessThanOrEqual(2);
  });
});

describe('the lean in the verdict', () => {
  it('corroborates a complaint with the everyday words of complaints, and names one', () => {
    const plain = classify('@parcelly the box was damaged');
    const told = classify('@parcelly still no reply, and the box was damaged. third email this week');
    expect(told.score).toBeLessThan(plain.score);
    expect(told.evidence).toContain('tone: "reply"');
  });

  it('decides nothing alone: a text no lexicon word or cue speaks for stays neutral', () => {
    const c = classify('@parcelly still day 9 order 4411');
    expect(c.evidence.some((e) => e.startsWith('tone: '))).toBe(false);
    expect(c.score).toBe(0);
  });

  it('is bounded, and never turns praise into a complaint however many leaning words it has', () => {
    const praise = classify('love it');
    const crowded = classify('love it ' + 'hrs again emails '.repeat(30));
    expect(crowded.polarity).toBe('positive');
    expect(praise.score - crowded.score).toBeLessThan(0.3);
  });

  it('gives no lean to function words or to words naming people, so who a post is about never changes it', () => {
    for (const word of ['your', 'been', 'not', "don't", 'she', 'he', 'dad', 'mum', 'lady', 'men', 'disabled']) {
      expect(WORD_LEANS.some(([w]) => w === word), word).toBe(false);
    }
    const pairs = [
      ['he was rude to me at the counter and then he hung up', 'she was rude to me at the counter and then she hung up'],
      ['my dad waited 2 hrs for the engineer', 'my mum waited 2 hrs for the engineer'],
      ['the man at the desk sorted it, thanks', 'the woman at the desk sorted it, thanks'],
    ] as const;
    for (const [a, b] of pairs) {
      const x = classify(a);
      const y = classify(b);
      expect([y.polarity, y.score, y.flags, y.severity], b).toEqual([x.polarity, x.score, x.flags, x.severity]);
    }
  });
});
