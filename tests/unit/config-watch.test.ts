import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changesAtNextStart, debounce, isConfigFileEvent, watchConfig } from '../../src/config/config-watch.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import type { ConfigProblem } from '../../src/config/yaml-file.js';

const shippedConfig = fileURLToPath(new URL('../../config', import.meta.url));

function memoryLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('debounce', () => {
  afterEach(() => vi.useRealTimers());

  it('runs once, after the quiet time that follows the last of a burst of events', () => {
    vi.useFakeTimers();
    let runs = 0;
    const d = debounce(() => (runs += 1), 300);
    for (let i = 0; i < 5; i++) {
      d.trigger();
      vi.advanceTimersByTime(100);
    }
    expect(runs).toBe(0);
    vi.advanceTimersByTime(199);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
    d.trigger();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(1);
  });
});

describe('which file events reload', () => {
  it('takes YAML files and a config map swap, and ignores editor swap and backup files', () => {
    expect(['routing.yaml', 'sla.yml', '..data'].map(isConfigFileEvent)).toEqual([true, true, true]);
    expect(['.routing.yaml.swp', 'routing.yaml~', '4913', '.#routing.yaml'].map(isConfigFileEvent)).toEqual([false, false, false, false]);
    // Some platforms do not say which file changed.
    expect(isConfigFileEvent(null)).toBe(true);
  });
});

describe('reloading the config', () => {
  let root: string;
  let dir: string;
  let initial: Config;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mt-watch-'));
    dir = path.join(root, 'config');
    await cp(shippedConfig, dir, { recursive: true });
    await mkdir(path.join(root, 'samples'));
    await writeFile(path.join(root, 'samples', 'mentions.jsonl'), '');
    initial = await loadConfig(dir);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const routing = () => path.join(dir, 'routing.yaml');

  it('keeps the last good config through a broken edit, logs each problem as file:line: field: problem, and reports it once', async () => {
    const { log, records } = memoryLog();
    const applied: Config[] = [];
    const rejected: ConfigProblem[][] = [];
    const watch = watchConfig({ dir, initial, log, watchFiles: false, apply: (c) => void applied.push(c), rejected: (p) => void rejected.push(p) });

    const good = await readFile(routing(), 'utf8');
    await writeFile(routing(), good.replace('defaultChannel: support', 'defaultChannel: suport'));
    const outcome = await watch.reload('SIGHUP');
    expect(outcome.applied).toBe(false);
    expect(watch.current()).toBe(initial);
    expect(applied).toEqual([]);
    const line = good.split('\n').findIndex((l) => l.startsWith('defaultChannel:')) + 1;
    const errors = records().filter((r) => r.level === 50);
    expect(errors.map((r) => r.msg)).toEqual([expect.stringMatching(new RegExp(`routing\\.yaml:${line}: defaultChannel: unknown channel "suport"`))]);
    expect(errors[0]).not.toHaveProperty('err');
    expect(JSON.stringify(records())).not.toContain('    at ');
    expect(rejected).toHaveLength(1);

    // The same broken files again: logged, not alerted twice.
    await watch.reload('file change');
    expect(rejected).toHaveLength(1);

    // Bad YAML: another problem, reported.
    await writeFile(routing(), `${good}\nrules: [oops\n`);
    const yaml = await watch.reload('file change');
    expect(yaml.applied).toBe(false);
    expect(rejected).toHaveLength(2);
    expect(rejected[1]![0]!.file).toMatch(/routing\.yaml$/);
    expect(rejected[1]![0]!.line).toBeGreaterThan(0);

    await writeFile(routing(), good.replace('defaultChannel: support', 'defaultChannel: marketing'));
    const fixed = await watch.reload('file change');
    expect(fixed.applied).toBe(true);
    expect(watch.current().routing.defaultChannel).toBe('marketing');
    expect(applied.map((c) => c.routing.defaultChannel)).toEqual(['marketing']);
    watch.close();
  });

  it('refuses a config the running roles cannot use, as a problem', async () => {
    const { log } = memoryLog();
    const problem = { file: 'config/discord.yaml', line: 0, path: 'discord.channels', message: 'no Discord channel id for "support"' };
    const watch = watchConfig({ dir, initial, log, watchFiles: false, apply: () => undefined, check: () => [problem] });
    expect(await watch.reload('SIGHUP')).toEqual({ applied: false, problems: [problem] });
    expect(watch.current()).toBe(initial);
    watch.close();
  });

  it('runs reloads one at a time, and the asks made meanwhile share one more reload that reads the last edit', async () => {
    const { log } = memoryLog();
    let loads = 0;
    let running = 0;
    let overlapped = false;
    const load = async (d: string) => {
      loads += 1;
      running += 1;
      overlapped ||= running > 1;
      await new Promise((r) => setTimeout(r, 20));
      try {
        return await loadConfig(d);
      } finally {
        running -= 1;
      }
    };
    const watch = watchConfig({ dir, initial, log, load, watchFiles: false, apply: () => undefined });
    const first = watch.reload('SIGHUP');
    await new Promise((r) => setTimeout(r, 5));
    const later = [watch.reload('file change'), watch.reload('file change'), watch.reload('SIGHUP')];
    await writeFile(routing(), (await readFile(routing(), 'utf8')).replace('defaultChannel: support', 'defaultChannel: leads'));
    await first;
    const outcomes = await Promise.all(later);
    expect(loads).toBe(2);
    expect(overlapped).toBe(false);
    expect(outcomes.every((o) => o.applied && o.config.routing.defaultChannel === 'leads')).toBe(true);
    watch.close();
  });
});

describe('what waits for the next start', () => {
  it('names source alerts, retention, new channels and fixed Discord settings, and nothing for routing, stacking or the sources', async () => {
    const started = await loadConfig(shippedConfig);
    expect(changesAtNextStart(started, { ...started, sources: [], routing: { ...started.routing, defaultChannel: 'leads' }, discord: { ...started.discord, stacking: { fromBacklog: 2, cardsPerMessage: 3 } } })).toEqual([]);
    const notes = changesAtNextStart(started, {
      ...started,
      sources: [],
      sourceAlerts: { ...started.sourceAlerts, silenceHours: started.sourceAlerts.silenceHours + 1 },
      retention: { ...started.retention, seenDays: started.retention.seenDays + 1 },
      discord: { ...started.discord, channels: { ...started.discord.channels, vip: '1' }, coalescing: { ...started.discord.coalescing, enabled: !started.discord.coalescing.enabled } },
    });
    expect(notes).toEqual([
      'source alerts change applies at the next start',
      'retention change applies at the next start',
      'new channels (vip) get their notify workers at the next start',
      'discord coalescing, roles and leadRoleId changes apply at the next start',
    ]);
  });
});
