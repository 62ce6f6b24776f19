import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mentionKey } from '../../src/core/mention-key.js';
import { REPORT_COLUMNS } from '../../src/core/report-row.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

describe('report (real Redis, the real CLI)', () => {
  let t: TestRedis;
  let dir: string;
  beforeEach(async () => {
    t = await openTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'report-'));
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  // A comma and a quote in the author's handle: the CSV must keep the field whole.
  const handled = aMention({ id: '1860000000000500001', author: { handle: 'kiln, "crate"', name: 'Kiln', followers: 900 }, createdAt: '2026-11-20T10:00:00.000Z' });
  const waiting = aMention({ id: '1860000000000500002', createdAt: '2026-11-20T10:05:00.000Z' });
  const old = aMention({ id: '1860000000000500003', createdAt: '2026-10-01T10:00:00.000Z' });

  async function seed(): Promise<void> {
    const store = createMentionStore(t.redis, { prefix: t.prefix });
    for (const m of [handled, waiting, old]) await store.saveTriaged(mentionKey(m), aTriage(m), new Date(m.createdAt));
    const key = mentionKey(handled);
    await store.recordCard(key, { channelKey: 'support', channelId: 'c1', messageId: 'm1' }, new Date('2026-11-20T10:00:10.000Z'));
    await store.transition(key, 'claim', { id: 'u1', name: 'Sam' }, new Date('2026-11-20T10:10:00.000Z'));
    await store.transition(key, 'resolve', { id: 'u1', name: 'Sam' }, new Date('2026-11-20T10:50:00.000Z'));
  }

  const env = () => ({ REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix });

  it('writes one CSV row per mention posted since the date, quoted as RFC 4180 says, with who and whether the SLA was met', async () => {
    await seed();
    const cli = await runCli(['report', '--since', '2026-11-01', '--format', 'csv'], { env: env() });
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain('2 mentions reported since 2026-11-01T00:00:00.000Z');
    const lines = cli.stdout.split('\r\n');
    expect(lines[0]).toBe(REPORT_COLUMNS.join(','));
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(2);
    const done = rows.find((r) => r.startsWith(`${mentionKey(handled)},`))!;
    expect(done).toContain(',"kiln, ""crate""",');
    expect(done).toContain(',2026-11-20T10:10:00.000Z,Sam,2026-11-20T10:50:00.000Z,Sam,resolved,angry,bug,2,900,default,support,');
    expect(done.endsWith(',yes')).toBe(true);
    // Never claimed, and its 30 minutes are long gone.
    expect(rows.find((r) => r.startsWith(`${mentionKey(waiting)},`))!.endsWith(',no')).toBe(true);
  });

  it('writes JSON to a file with --out', async () => {
    await seed();
    const out = join(dir, 'week.json');
    const cli = await runCli(['report', '--since', '2026-11-20T10:03:00Z', '--format', 'json', '--out', out], { env: env() });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe('');
    const rows = JSON.parse(readFileSync(out, 'utf8')) as Array<Record<string, unknown>>;
    expect(rows).toEqual([expect.objectContaining({ key: mentionKey(waiting), status: 'new', claimedAt: '', slaMet: 'no', claimDueAt: expect.any(String) })]);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['report'], ['report', '--since', 'yesterday'], ['report', '--since', '7d', '--format', 'xlsx'], ['report', '--since', '7d', '--out', join(dir, 'no', 'such', 'x.csv')]]) {
      const cli = await runCli(args, { env: env() });
      expect({ args, code: cli.code }).toEqual({ args, code: 2 });
    }
  });
});
