import { readFileSync } from 'node:fs';
import { eld } from 'eld/small';
import { describe, expect, it } from 'vitest';
import { detectorFromPacked, packDetectorData } from '../../src/core/language-data.js';

const texts = ['triage-set/dev.jsonl', 'triage-set/holdout.jsonl', 'labelled-mentions.jsonl', 'intent-mentions.jsonl'].flatMap((file) =>
  readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { text: string }).text),
);

describe('ELD data packed by the build', () => {
  it('detects exactly what eld/small detects: same language, scores and reliability on every fixture text', async () => {
    const packed = await detectorFromPacked(await packDetectorData());
    expect(packed).toBeDefined();
    expect(packed).not.toBe(eld);
    expect(texts.length).toBeGreaterThan(500);
    const extra = ['Hola, ¿cómo te llamas?', 'Das ist nicht gut, wir warten seit Stunden', 'この商品は最悪です', 'Привет, где мой заказ?', 'ok', '', '🙂🙂'];
    for (const text of [...texts, ...extra]) {
      const ours = packed!.detect(text) as ReturnType<typeof eld.detect>;
      const theirs = eld.detect(text);
      expect({ text, language: ours.language, reliable: ours.isReliable(), scores: ours.getScores() }).toEqual({ text, language: theirs.language, reliable: theirs.isReliable(), scores: theirs.getScores() });
    }
  });

  it('is not used when it was written by another ELD version, or is cut short', async () => {
    const text = await packDetectorData();
    const endOfHeader = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, endOfHeader)) as { eld: string };
    expect(await detectorFromPacked(JSON.stringify({ ...header, eld: '0.0.0-other' }) + text.slice(endOfHeader))).toBeUndefined();
    expect(await detectorFromPacked(text.slice(0, Math.floor(text.length / 2)))).toBeUndefined();
    expect(await detectorFromPacked(text.slice(0, -1))).toBeDefined();
  });
});
