import { describe, expect, it } from 'vitest';
import { aMention } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';

describe('mention-triage reply-check', () => {
  it('writes one line of coach hints per draft, judging the mention as triage does', async () => {
    const angry = aMention({ text: '@parcelly you charged me $49.99 twice and nobody answers. Unacceptable!!!' });
    const hn = aMention({ source: 'hackernews', id: '48135500', text: 'Parcelly double-bought a label for us, what a mess.' });
    const input = [
      { mention: angry, draft: "Thanks for telling us, Dana, and sorry about the double charge. DM us your account email and we'll check it and reply today." },
      { mention: angry, draft: 'Awesome! Simply DM us your card number and we will refund you immediately.' },
      { mention: hn, draft: "Sorry about that. DM us and we'll look into it today." },
    ].map((l) => JSON.stringify(l)).join('\n');
    const { code, stdout } = await runCli(['reply-check'], { stdin: input });
    expect(code).toBe(0);
    const [good, bad, noDm] = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(good).toEqual({ line: 1, id: angry.id, hints: [] });
    const byCode = Object.fromEntries(bad.hints.map((h: { code: string }) => [h.code, h]));
    expect(byCode['private-data']).toMatchObject({ severity: 'block', words: ['card number'] });
    expect(byCode['condescending']).toMatchObject({ severity: 'warn', words: ['Simply'] });
    expect(byCode['over-promise']).toMatchObject({ severity: 'warn', words: ['immediately'] });
    expect(byCode['cheerful-to-angry']).toMatchObject({ severity: 'warn', words: ['Awesome', '!'] });
    expect(byCode['no-apology']).toMatchObject({ severity: 'warn' });
    expect(noDm.hints).toEqual([expect.objectContaining({ code: 'no-private-channel', severity: 'block', words: ['DM'] })]);
  });

  it('answers a bad line with an error line in its place and goes on, exiting 1', async () => {
    const ok = JSON.stringify({ mention: aMention(), draft: 'Thanks, Dana!' });
    const { code, stdout, stderr } = await runCli(['reply-check'], { stdin: `${ok}\nnot json\n{"mention": {"source": "x"}, "draft": "hi"}\n{"mention": ${JSON.stringify(aMention())}}\n${ok}\n` });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^not JSON/) });
    expect(lines[2]).toMatchObject({ line: 3, error: expect.stringMatching(/^mention: /) });
    expect(lines[3]).toEqual({ line: 4, error: 'draft: expected a string' });
    expect(lines[4]).toMatchObject({ line: 5, hints: expect.any(Array) });
    expect(stderr).toContain('line 2: not JSON');
    expect(code).toBe(1);
  });

  it('exits 2 on a usage error', async () => {
    const { code, stderr } = await runCli(['reply-check', '--no-such-option'], { stdin: '' });
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-option'");
  });
});
