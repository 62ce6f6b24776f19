import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aMention } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';

describe('mention-triage classify', () => {
  it('writes one result per input line, with the id, mood, intent and the evidence', async () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'You charged me twice and nobody answers. Unacceptable!!!', brand: 'Parcelly' }),
      JSON.stringify({ text: 'Honestly the best shipping tool we have used, highly recommend' }),
    ].join('\n');
    const { code, stdout } = await runCli(['classify'], { stdin: input });
    expect(code).toBe(0);
    const [first, second] = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(first).toMatchObject({ id: 'a', polarity: 'negative', flags: expect.arrayContaining(['angry']) });
    expect(first.score).toBeLessThan(0);
    expect(first.evidence.length).toBeGreaterThan(0);
    expect(second).toMatchObject({ id: 2, polarity: 'positive' });
    for (const r of [first, second]) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'polarity', 'score', 'flags', 'intent', 'severity', 'evidence']));
  });

  it('reports a malformed line with its number in place and goes on', async () => {
    const { code, stdout, stderr } = await runCli(['classify'], { stdin: '{"text":"fine"}\nnot json\n{"text": 5}\n{"text":"still here"}\n' });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^not JSON/) });
    expect(lines[2]).toEqual({ line: 3, error: 'text: expected a string' });
    expect(lines[3]).toMatchObject({ id: 4 });
    expect(stderr).toContain('line 2: not JSON');
    expect(code).toBe(1);
  });

  it('streams 100,000 lines through without holding them', async () => {
    const n = 100_000;
    function* lines() {
      for (let i = 0; i < n; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++) chunk += `{"id":${j},"text":"order ${j} still not delivered, third email with no answer"}\n`;
        yield chunk;
      }
    }
    const { code, stdout } = await runCli(['classify'], { stdin: lines() });
    expect(code).toBe(0);
    const out = stdout.trimEnd().split('\n');
    expect(out).toHaveLength(n);
    expect(JSON.parse(out[n - 1] as string).id).toBe(n - 1);
  }, 120_000);
});

describe('mention-triage render', () => {
  it('writes the exact Discord request for each card: embed, buttons and no pings', async () => {
    const mention = aMention({ text: '@everyone look: **parcelly** lost my parcel <@123456789012345678>' });
    const { code, stdout } = await runCli(['render'], { stdin: `${JSON.stringify(mention)}\n` });
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.key).toBe('x-1860000000000000001');
    const [request] = out.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toMatch(/^\/channels\/.+\/messages$/);
    expect(request.body.allowed_mentions).toEqual({ parse: [] });
    expect(request.body.enforce_nonce).toBe(true);
    const description: string = request.body.embeds[0].description;
    expect(description).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(description).not.toContain('**parcelly**');
    const ids = request.body.components[0].components.map((b: { custom_id: string }) => b.custom_id);
    expect(ids).toEqual(['claim', 'reply', 'resolve', 'escalate', 'dismiss'].map((a) => `mt:${a}:x-1860000000000000001`));
  });

  it('reports malformed mentions by line number and renders the rest', async () => {
    const { code, stdout, stderr } = await runCli(['render'], { stdin: `{"source":"x","id":"1","text":"hi"}\n${JSON.stringify(aMention())}\n` });
    expect(code).toBe(1);
    const [bad, good] = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(bad).toMatchObject({ line: 1, error: expect.stringContaining('author') });
    expect(good.requests.length).toBeGreaterThan(0);
    expect(stderr).toMatch(/^line 1: author/m);
  });
});

describe('mention-triage check-config', () => {
  it('accepts the shipped configuration', async () => {
    const { code, stdout } = await runCli(['check-config']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/OK/);
  });

  it('refuses a broken configuration with file, line, field and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-cli-config-'));
    cpSync('config', join(dir, 'config'), { recursive: true });
    const routing = join(dir, 'config', 'routing.yaml');
    writeFileSync(routing, readFileSync(routing, 'utf8').replace('channel: leads', 'channel: suport'));
    const { code, stderr } = await runCli(['check-config', '--config', join(dir, 'config')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/routing\.yaml:\d+: rules\[\d+\]\.channel: unknown channel "suport"/);
  });
});

describe('mention-triage usage errors', () => {
  it('exit 2 with what was wrong, as documented; help exits 0', async () => {
    const unknownRole = await runCli(['start', '--role', 'bogus']);
    expect(unknownRole.code).toBe(2);
    expect(unknownRole.stderr).toMatch(/unknown role "bogus" \(known: /);
    expect((await runCli(['nosuch'])).code).toBe(2);
    expect((await runCli(['sources', '--limit', 'x'])).code).toBe(2);
    expect((await runCli(['--help'])).code).toBe(0);
  });
});

describe('an unreachable Redis', () => {
  it('is named in one line, without its password and without a stack, by every command that needs Redis (exit 2)', async () => {
    for (const args of [['start', '--role', 'triage'], ['dead-letters'], ['demo'], ['sources']]) {
      const { code, stdout, stderr } = await runCli(args, { env: { REDIS_URL: 'redis://:hunter2@127.0.0.1:1' } });
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr.trim()).toMatch(/^no Redis answered at redis:\/\/:\*\*\*@127\.0\.0\.1:1 \(.+\): start one there, or set REDIS_URL to the service's Redis$/);
      expect(`${stdout}${stderr}`).not.toContain('hunter2');
    }
  });
});
