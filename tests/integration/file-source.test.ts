import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileSource } from '../../src/sources/file.js';
import type { SourceBatch } from '../../src/sources/source.js';
import { aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { aReadContext } from '../support/source-context.js';

let t: TestRedis;
beforeAll(async () => {
  t = await openTestRedis();
});
afterAll(async () => t.cleanup());

async function readAll(path: string, cursor?: string): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  for await (const batch of createFileSource({ path, batchSize: 2 }).read(cursor, aReadContext(t, 'file'))) batches.push(batch);
  return batches;
}

describe('the file source', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'mt-file-')), 'm.jsonl');

  it('reads mentions in batches, with the cursor at the last line of each', async () => {
    const path = file();
    writeFileSync(path, `${[1, 2, 3].map((i) => JSON.stringify(aMention({ id: String(i) }))).join('\n')}\n`);
    const batches = await readAll(path);
    expect(batches.map((b) => [b.mentions.map((m) => m.id), b.cursor])).toEqual([[['1', '2'], '2'], [['3'], '3']]);
  });

  it('holds back a last line still being written, and reads it once it is whole', async () => {
    const path = file();
    const whole = JSON.stringify(aMention({ id: '2' }));
    writeFileSync(path, `${JSON.stringify(aMention({ id: '1' }))}\n${whole.slice(0, 20)}`);
    const first = await readAll(path);
    expect(first.flatMap((b) => b.rejects)).toEqual([]);
    expect(first.at(-1)?.cursor).toBe('1');
    appendFileSync(path, `${whole.slice(20)}\n`);
    const second = await readAll(path, '1');
    expect(second.flatMap((b) => b.mentions.map((m) => m.id))).toEqual(['2']);
  });

  it('rejects a malformed line with its place and reason, and goes on', async () => {
    const path = file();
    writeFileSync(path, `{"oops"\n${JSON.stringify(aMention({ id: '5' }))}\n`);
    const [batch] = await readAll(path);
    expect(batch?.rejects).toEqual([{ at: expect.stringMatching(/m\.jsonl:1$/), reason: expect.stringMatching(/^not JSON/), raw: '{"oops"' }]);
    expect(batch?.mentions.map((m) => m.id)).toEqual(['5']);
  });

  it('reads nothing from an empty file', async () => {
    const path = file();
    writeFileSync(path, '');
    expect(await readAll(path)).toEqual([]);
  });
});
