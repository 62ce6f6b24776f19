import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INTENTS } from '../../src/core/classification.js';
import { PLATFORMS } from '../../src/core/mention.js';
import { parseMention } from '../../src/core/parse-mention.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'triage-set');
const SPLITS = ['dev', 'holdout'] as const;
const FLAGS = ['angry', 'happy', 'churnRisk', 'impostor', 'needsReply'] as const;

interface Line {
  split: (typeof SPLITS)[number];
  lineNo: number;
  value: Record<string, unknown>;
}

const lines: Line[] = SPLITS.flatMap((split) =>
  readFileSync(join(DIR, `${split}.jsonl`), 'utf8')
    .split('\n')
    .map((text, i) => ({ text, lineNo: i + 1 }))
    .filter(({ text }) => text.trim())
    .map(({ text, lineNo }) => ({ split, lineNo, value: JSON.parse(text) as Record<string, unknown> })),
);
const labelsOf = (line: Line) => line.value.labels as Record<string, unknown>;
const where = (line: Line) => `${line.split}.jsonl:${line.lineNo}`;

describe('the labelled triage set', () => {
  it('has at least 450 mentions, and both files have some', () => {
    expect(lines.length).toBeGreaterThanOrEqual(450);
    for (const split of SPLITS) expect(lines.filter((l) => l.split === split).length, split).toBeGreaterThan(0);
  });

  it('keeps about two in five mentions in the holdout', () => {
    const share = lines.filter((l) => l.split === 'holdout').length / lines.length;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.45);
  });

  it("reads every line with the service's own parser", () => {
    const problems = lines.flatMap((line) => {
      const parsed = parseMention(line.value);
      return parsed.ok ? [] : [`${where(line)}: ${parsed.reason}`];
    });
    expect(problems).toEqual([]);
  });

  it('gives every line a brand with a name, names and handles', () => {
    for (const line of lines) {
      const brand = line.value.brand as { name?: unknown; names?: unknown; handles?: unknown } | undefined;
      expect(typeof brand?.name, where(line)).toBe('string');
      expect(Array.isArray(brand?.names) && brand.names.length > 0 && brand.names.every((n) => typeof n === 'string'), where(line)).toBe(true);
      expect(Array.isArray(brand?.handles) && brand.handles.every((h) => typeof h === 'string'), where(line)).toBe(true);
    }
  });

  it('labels every field of every line with a valid value', () => {
    for (const line of lines) {
      const labels = labelsOf(line);
      expect(['negative', 'neutral', 'positive'], where(line)).toContain(labels.polarity);
      expect(INTENTS, where(line)).toContain(labels.intent);
      expect(labels.language, where(line)).toMatch(/^[a-z]{2}$/);
      for (const flag of FLAGS) expect(typeof labels[flag], `${where(line)} ${flag}`).toBe('boolean');
    }
  });

  it('keeps labels that contradict the definitions out (impostors are spam, spam and own posts need no reply)', () => {
    for (const line of lines) {
      const labels = labelsOf(line);
      const handles = (line.value.brand as { handles: string[] }).handles;
      const author = (line.value.author as { handle: string }).handle;
      if (labels.impostor) expect(labels.intent, where(line)).toBe('spam');
      if (labels.intent === 'spam' || handles.includes(author)) expect(labels.needsReply, where(line)).toBe(false);
      if (labels.angry) expect(labels.polarity, where(line)).toBe('negative');
      if (labels.happy) expect(labels.polarity, where(line)).toBe('positive');
    }
  });

  it('has unique ids', () => {
    const ids = lines.map((l) => String(l.value.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers at least 8 brands and every platform', () => {
    expect(new Set(lines.map((l) => (l.value.brand as { name: string }).name)).size).toBeGreaterThanOrEqual(8);
    const platforms = new Set(lines.map((l) => l.value.source));
    for (const platform of PLATFORMS.filter((p) => p !== 'file')) expect(platforms, platform).toContain(platform);
  });

  it('has at least 12% of its mentions in languages other than English', () => {
    expect(lines.filter((l) => labelsOf(l).language !== 'en').length / lines.length).toBeGreaterThanOrEqual(0.12);
  });

  it('has every intent, impostors and churn risks in both files', () => {
    for (const split of SPLITS) {
      const labels = lines.filter((l) => l.split === split).map(labelsOf);
      for (const intent of INTENTS) expect(labels.some((l) => l.intent === intent), `${split}: ${intent}`).toBe(true);
      for (const flag of FLAGS) expect(labels.some((l) => l[flag] === true), `${split}: ${flag}`).toBe(true);
    }
  });
});
