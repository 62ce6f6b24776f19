import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { route } from '../../src/core/route.js';

const shippedConfig = fileURLToPath(new URL('../../config', import.meta.url));

describe('routing.yaml rules', () => {
  const cwd = process.cwd();
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mt-rules-'));
    await cp(shippedConfig, path.join(root, 'config'), { recursive: true });
    await mkdir(path.join(root, 'samples'));
    await writeFile(path.join(root, 'samples', 'mentions.jsonl'), '');
    process.chdir(root);
  });
  afterEach(async () => {
    process.chdir(cwd);
    await rm(root, { recursive: true, force: true });
  });

  /** Writes routing.yaml from lines; the problems loading it gives, one a line. */
  async function problems(...lines: string[]): Promise<string[]> {
    await writeFile(path.join(root, 'config', 'routing.yaml'), `${lines.join('\n')}\n`);
    const error = await loadConfig('config').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }

  const head = ['defaultChannel: support', 'rules:'];

  it('refuses a regular expression that could take exponential time, at its line', async () => {
    expect(await problems(...head, '  - name: r', '    when:', '      regex: ["order \\\\d+", "(a+)+$"]', '    channel: support')).toEqual([
      'config/routing.yaml:5: rules[0].when.regex[1]: may take exponential time on some texts (nested repetition such as (a+)+, or a huge repeat count): rewrite it',
    ]);
  });

  it('refuses a regular expression that does not compile', async () => {
    const [problem] = await problems(...head, '  - name: r', '    when:', '      regex: ["(unclosed"]', '    channel: support');
    expect(problem).toMatch(/^config\/routing\.yaml:5: rules\[0\]\.when\.regex\[0\]: not a regular expression: /);
  });

  it('refuses an unknown time zone', async () => {
    expect(await problems('defaultChannel: support', 'timeZone: Mars/Olympus', 'rules: []')).toEqual([
      'config/routing.yaml:2: timeZone: an IANA time zone such as Europe/London or America/New_York, or UTC',
    ]);
  });

  it('refuses a time of day that is not HH:MM, and an unknown weekday', async () => {
    expect(await problems(...head, '  - name: r', '    when:', '      timeOfDay: { from: "9am", to: "17:00" }', '      weekday: [mon, funday]', '    channel: support')).toEqual([
      'config/routing.yaml:5: rules[0].when.timeOfDay.from: a time of day is HH:MM, 00:00 to 23:59',
      'config/routing.yaml:6: rules[0].when.weekday[1]: expected one of "sun", "mon", "tue", "wed", "thu", "fri", "sat", got "funday"',
    ]);
  });

  it('refuses a range whose min is above its max, and an empty one', async () => {
    expect(await problems(...head, '  - name: r', '    when:', '      reach: { min: 500, max: 10 }', '      severity: {}', '    channel: support')).toEqual([
      'config/routing.yaml:5: rules[0].when.reach: min is above max',
      'config/routing.yaml:6: rules[0].when.severity: give min, max or both',
    ]);
  });

  it('refuses an unknown key in words, and words with nothing in them', async () => {
    expect(await problems(...head, '  - name: r', '    when:', '      words: { some: [refund] }', '    channel: support')).toEqual([
      'config/routing.yaml:5: rules[0].when.words.some: unknown key "some" (known: any, all, none)',
      'config/routing.yaml:5: rules[0].when.words: give any, all or none',
    ]);
  });

  it('asks for a channel on a rule that neither continues nor suppresses, and not on one that does', async () => {
    expect(await problems(...head, '  - name: tags-only', '    tags: [a]', '  - name: drop', '    suppress: noise', '  - name: tag-and-go', '    tags: [b]', '    continue: true')).toEqual([
      'config/routing.yaml:3: rules[0].channel: missing: a rule that neither continues nor suppresses names its channel',
    ]);
  });

  it('reports a rule that can never be reached after a rule that takes everything', async () => {
    expect(await problems(...head, '  - name: everything', '    channel: support', '  - name: never', '    when: { intent: [bug] }', '    channel: leads')).toEqual([
      'config/routing.yaml:5: rules[1]: never reached: rules[0] before it matches every mention and does not continue',
    ]);
  });

  it('asks for quotes around a role id, and refuses an SLA override whose claim is longer than its resolve', async () => {
    const lines = await problems(...head, '  - name: r', '    channel: leads', '    pingRole: 123456789012345678', '    sla: { claimWithinMinutes: 90, resolveWithinMinutes: 60 }');
    expect(lines[0]).toMatch(/^config\/routing\.yaml:5: rules\[0\]\.pingRole: a Discord id must be a quoted string/);
    expect(lines[1]).toBe('config/routing.yaml:6: rules[0].sla: claimWithinMinutes is longer than resolveWithinMinutes');
  });

  it('reports an unknown channel in a rule that continues', async () => {
    expect(await problems(...head, '  - name: r', '    alsoTo: [ops]', '    continue: true')).toEqual([
      'config/routing.yaml:4: rules[0].alsoTo[0]: unknown channel "ops" (known: support, leads, marketing)',
    ]);
  });

  it('loads every condition and action, and routes with them', async () => {
    await writeFile(
      path.join(root, 'config', 'routing.yaml'),
      [
        'defaultChannel: support',
        'timeZone: Europe/London',
        'rules:',
        '  - name: night-money',
        '    when:',
        '      words: { any: [refund, charged], none: [test] }',
        '      regex: ["\\\\btwice\\\\b"]',
        '      flags: [churn-risk]',
        '      severity: { min: 1 }',
        '      reach: { max: 100000 }',
        '      needsReply: true',
        '      language: [en, und]',
        '      platform: [x]',
        '      timeOfDay: { from: "18:00", to: "08:00" }',
        '      weekday: [fri]',
        '    channel: leads',
        '    pingRole: "123456789012345678"',
        '    tags: [after hours]',
        '    sla: { claimWithinMinutes: 5 }',
        '    continue: true',
        '  - name: all',
        '    channel: support',
        '',
      ].join('\n'),
    );
    const config = await loadConfig('config');
    const r = route(
      {
        mention: { source: 'x', id: '1', text: 'Charged twice, I am cancelling', createdAt: '2026-11-20T21:00:00Z', author: { handle: 'a', name: 'a', followers: 10 } },
        classification: { polarity: 'negative', score: -0.5, flags: ['churn-risk'], intent: 'billing', severity: 2, evidence: [] },
        reach: 10,
      },
      config.routing,
      config.sla,
    );
    expect(r).toMatchObject({ channel: 'leads', rules: ['night-money', 'all'], alsoTo: ['support'], pingRoleId: '123456789012345678', tags: ['after hours'], claimWithinMinutes: 5 });
  });

  it('ships a rule that sends an impostor to the leads with a security tag', async () => {
    const config = await loadConfig('config');
    const r = route(
      {
        mention: { source: 'x', id: '1', text: 'DM us your card number to get a refund', createdAt: '2026-11-20T10:00:00Z', author: { handle: 'parcelly_help', name: 'Parcelly Support', followers: 3 } },
        classification: { polarity: 'neutral', score: 0, flags: [], intent: 'billing', severity: 0, evidence: [], impostor: 'display name "Parcelly Support" on an account that is not the brand' },
        reach: 3,
      },
      config.routing,
      config.sla,
    );
    expect(r).toMatchObject({ channel: 'leads', rule: 'impostor', priority: 0 });
    expect(r.tags?.join(' ')).toMatch(/impostor/);
  });
});
