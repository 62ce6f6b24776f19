import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aMention } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';

/** A git repository holding a copy of the shipped config, committed, and a file of mentions beside it. */
let repo: string;
let mentions: string;

const angryBig = aMention({ id: '1860000000000700001', text: '@parcelly charged me twice and nobody answers, this is a scam!!!', author: { handle: 'loud', name: 'Loud', followers: 50_000 } });
const giveaway = aMention({ id: '1860000000000700002', text: 'crypto giveaway, follow and win', author: { handle: 'bot', name: 'Bot', followers: 3 } });
const praise = aMention({ id: '1860000000000700003', text: 'Parcelly is brilliant, highly recommend it to every shop' });

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' });

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'mt-rules-cli-'));
  cpSync('config', join(repo, 'config'), { recursive: true });
  mkdirSync(join(repo, 'samples'));
  writeFileSync(join(repo, 'samples', 'mentions.jsonl'), '');
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'config');
  mentions = join(repo, 'mentions.jsonl');
  writeFileSync(mentions, `${[angryBig, giveaway, praise].map((m) => JSON.stringify(m)).join('\n')}\nnot json\n`);
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

/** Puts a suppressing rule first in the repository's (uncommitted) routing.yaml, once. */
function addSpamRule(): void {
  const file = join(repo, 'config', 'routing.yaml');
  const before = readFileSync(file, 'utf8');
  if (before.includes('name: giveaways')) return;
  const text = before.replace('rules:\n', 'rules:\n  - name: giveaways\n    when:\n      words: { any: [giveaway] }\n    suppress: giveaway bots\n\n');
  writeFileSync(file, text);
}

describe('mention-triage rules test', () => {
  it('counts per rule with samples, what no rule took, and skips malformed lines (exit 1)', async () => {
    const { code, stdout, stderr } = await runCli(['rules', 'test', mentions, '-c', join(repo, 'config'), '--json', '-s', '1']);
    expect(code).toBe(1);
    expect(stderr).toContain('line 4: not JSON');
    const report = JSON.parse(stdout);
    expect(report.mentions).toBe(3);
    expect(report.malformed).toBe(1);
    const byRule = Object.fromEntries(report.rules.map((r: { rule: string; takes: number }) => [r.rule, r.takes]));
    expect(byRule['angry-high-reach']).toBe(1);
    expect(byRule.happy).toBe(1);
    expect(report.rules.find((r: { rule: string }) => r.rule === 'angry-high-reach').samples).toEqual([{ key: 'x-1860000000000700001', text: angryBig.text }]);
    // No shipped rule continues: each mention is taken by one rule or by none.
    expect(report.unmatched.count + Object.values(byRule).reduce((a: number, b) => a + (b as number), 0)).toBe(3);
  });

  it('with --against a git revision, lists every mention whose route changed', async () => {
    addSpamRule();
    const { code, stdout } = await runCli(['rules', 'test', mentions, '-c', join(repo, 'config'), '--against', 'HEAD', '--json']);
    expect(code).toBe(1);
    const { changes, suppressed } = JSON.parse(stdout);
    expect(suppressed).toBe(1);
    expect(changes).toEqual([
      expect.objectContaining({ key: 'x-1860000000000700002', changed: ['suppression'], after: expect.objectContaining({ suppressed: { reason: 'giveaway bots', rule: 'giveaways' }, rules: ['giveaways'] }) }),
    ]);
  });

  it('with --against a directory, prints the change for a person', async () => {
    addSpamRule();
    const { stdout } = await runCli(['rules', 'test', mentions, '-c', join(repo, 'config'), '--against', 'config']);
    expect(stdout).toMatch(/^giveaways\s+1$/m);
    expect(stdout).toContain('routed differently from --against: 1');
    expect(stdout).toContain('suppressed by giveaways ("giveaway bots")');
  });

  it('exits 2 with one line for a missing file or an unknown revision', async () => {
    const missing = await runCli(['rules', 'test', join(repo, 'nope.jsonl')]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
    const rev = await runCli(['rules', 'test', mentions, '-c', join(repo, 'config'), '--against', 'no-such-rev']);
    expect(rev.code).toBe(2);
    expect(rev.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^--against no-such-rev: neither a directory nor a git revision/)]);
  });

  it('names a problem of the config at a git revision by the revision and path', async () => {
    const file = join(repo, 'config', 'routing.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('defaultChannel: support', 'defaultChannel: suport'));
    git('commit', '-q', '-am', 'broken');
    writeFileSync(file, good);
    const { code, stderr } = await runCli(['rules', 'test', mentions, '-c', join(repo, 'config'), '--against', 'HEAD']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^HEAD:config\/routing\.yaml:\d+: defaultChannel: unknown channel "suport"/);
  });
});

describe('mention-triage rules explain', () => {
  it('traces every rule for a text: skipped with the failed condition, fired, not reached', async () => {
    const { code, stdout } = await runCli(['rules', 'explain', '@parcelly you charged me twice, I want a refund', '-f', '120']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^judged: .*billing/m);
    expect(stdout).toMatch(/^✗ angry-high-reach: .*minReach: 120, not at least 5000/m);
    expect(stdout).toMatch(/^✓ billing: fired$/m);
    expect(stdout).toMatch(/^· happy: not reached \(billing fired and stops\)$/m);
  });

  it('explains a mention given as JSON, as JSON', async () => {
    const { code, stdout } = await runCli(['rules', 'explain', JSON.stringify(angryBig), '--json']);
    expect(code).toBe(0);
    const { route, trace } = JSON.parse(stdout);
    expect(route).toMatchObject({ channel: 'leads', alsoTo: ['support'], rule: 'angry-high-reach' });
    expect(trace.find((s: { rule: string }) => s.rule === 'impostor')).toEqual({ rule: 'impostor', outcome: 'skipped', failed: ['impostor: wanted true, is false'] });
  });

  it('exits 2 with one line for JSON that is not a mention', async () => {
    const { code, stderr } = await runCli(['rules', 'explain', '{"source":"x"}']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^rules explain: not a mention: /);
  });
});
