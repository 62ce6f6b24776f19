import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Polarity } from '../../src/core/classification.js';
import type { Example } from '../../src/core/sentiment/word-lean.js';

/** The team-written corpus the word leans are learned from (see its README). */
export const CORPUS_DIR = new URL('../fixtures/word-lean-corpus/', import.meta.url).pathname;

const LABELS: readonly string[] = ['negative', 'neutral', 'positive'] satisfies Polarity[];

/** Every file's posts, by file name without `.jsonl`; a malformed line throws naming file and line. */
export function readCorpusFiles(dir = CORPUS_DIR): Record<string, Example[]> {
  const files: Record<string, Example[]> = {};
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    const examples: Example[] = [];
    readFileSync(join(dir, name), 'utf8').split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${name}:${i + 1}`;
      let post: { label?: unknown; text?: unknown };
      try {
        post = JSON.parse(line) as typeof post;
      } catch {
        throw new Error(`${where}: not JSON`);
      }
      if (typeof post.label !== 'string' || !LABELS.includes(post.label)) throw new Error(`${where}: label must be one of ${LABELS.join(', ')}`);
      if (typeof post.text !== 'string' || post.text.trim() === '') throw new Error(`${where}: text must be a non-empty string`);
      examples.push([post.label as Polarity, post.text]);
    });
    files[name.replace(/\.jsonl$/, '')] = examples;
  }
  return files;
}
