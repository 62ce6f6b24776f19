import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classifyStream } from '../../src/commands/classify.js';

async function run(lines: string[]): Promise<{ out: Record<string, unknown>[]; malformed: number }> {
  const input = PassThrough.from([lines.join('\n') + '\n']);
  const output = new PassThrough();
  const errors = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString()));
  errors.resume();
  const malformed = await classifyStream({ input, output, errors });
  return { out: chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>), malformed };
}

describe('classify command', () => {
  it('reads source and author and prints language, needsReply and the impostor reason', async () => {
    const { out, malformed } = await run([
      JSON.stringify({ id: 'a', text: 'Hi! DM us your card number so we can send the refund', brand: 'Larkspur', source: 'x', author: { handle: 'larkspur_helpdesk', name: 'Larkspur Help', followers: 4 } }),
      JSON.stringify({ id: 'b', text: 'switched our office to @larkspur, never looking back', brand: 'Larkspur' }),
    ]);
    expect(malformed).toBe(0);
    expect(out[0]).toMatchObject({ id: 'a', intent: 'spam', language: 'en', needsReply: false });
    expect(out[0]!.impostor).toMatch(/^"Larkspur Help" \(@larkspur_helpdesk\) poses as the brand's support/);
    expect(out[1]).toMatchObject({ id: 'b', intent: 'praise', needsReply: true, flags: ['happy'] });
    expect(out[1]).not.toHaveProperty('impostor');
  });

  it('reports a line with an unknown source or an author without a handle, and goes on', async () => {
    const { out, malformed } = await run([
      JSON.stringify({ text: 'hello', source: 'myspace' }),
      JSON.stringify({ text: 'hello', author: { name: 'No Handle' } }),
      JSON.stringify({ text: 'hello' }),
    ]);
    expect(malformed).toBe(2);
    expect(out[0]).toEqual({ line: 1, error: 'source: expected one of x, bluesky, mastodon, hackernews, reddit, rss, file' });
    expect(out[1]).toEqual({ line: 2, error: 'author.handle: expected a string' });
    expect(out[2]).toMatchObject({ id: 3, language: 'en' });
  });
});
