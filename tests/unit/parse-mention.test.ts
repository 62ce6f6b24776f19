import { describe, expect, it } from 'vitest';
import { mentionKey } from '../../src/core/mention-key.js';
import { MAX_MENTION_TEXT, parseMention, parseMentionLine } from '../../src/core/parse-mention.js';

const now = () => new Date('2026-11-22T12:00:00Z');

describe('reading mention JSON', () => {
  it('accepts the minimal shape and defaults the optional fields', () => {
    const result = parseMention({ source: 'bluesky', id: 'at://did:plc:abc/app.bsky.feed.post/3k2', text: 'hi', author: { handle: '@kim.bsky.social' } }, now);
    expect(result).toEqual({
      ok: true,
      mention: {
        source: 'bluesky',
        id: 'at://did:plc:abc/app.bsky.feed.post/3k2',
        text: 'hi',
        createdAt: '2026-11-22T12:00:00.000Z',
        author: { handle: 'kim.bsky.social', name: 'kim.bsky.social', followers: 0 },
      },
    });
  });

  it('keeps url, time, name and followers when given, and turns a numeric id into a string', () => {
    const result = parseMention({ source: 'hackernews', id: 41234567, text: 't', url: 'https://news.ycombinator.com/item?id=41234567', createdAt: '2026-11-20T10:00:00+01:00', author: { handle: 'pg', name: 'Paul', followers: 12 } }, now);
    expect(result.ok && result.mention).toMatchObject({ id: '41234567', url: 'https://news.ycombinator.com/item?id=41234567', createdAt: '2026-11-20T09:00:00.000Z', author: { name: 'Paul', followers: 12 } });
  });

  it('drops a link Discord would refuse (not http, too long, not a URL) but keeps the mention', () => {
    for (const url of ['javascript:alert(1)', 'ftp://x.y/z', 'not a url', `https://x.y/${'a'.repeat(3000)}`]) {
      const result = parseMention({ source: 'x', id: '1', text: 't', url, author: { handle: 'a' } });
      expect(result.ok).toBe(true);
      expect(result.ok && result.mention.url).toBeUndefined();
    }
  });

  it('ignores fields it does not know', () => {
    expect(parseMention({ source: 'x', id: '1', text: 't', author: { handle: 'a', verified: true }, lang: 'en' }).ok).toBe(true);
  });

  it('says which field is wrong', () => {
    expect(parseMention({ source: 'myspace', id: '1', text: 't', author: { handle: 'a' } })).toMatchObject({ ok: false, reason: expect.stringMatching(/^source: /) });
    expect(parseMention({ source: 'x', id: '1', text: 't', author: 'a' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^author: /) });
    expect(parseMention({ source: 'x', id: '', text: 't', author: { handle: 'a' } })).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: /) });
    expect(parseMention({ source: 'x', id: '1', text: 't', createdAt: 'yesterday', author: { handle: 'a' } })).toMatchObject({ ok: false, reason: expect.stringMatching(/^createdAt: /) });
    expect(parseMention(null)).toMatchObject({ ok: false });
  });

  it('keeps a mention whose follower count is odd, made a whole number in range', () => {
    const followers = (value: unknown) => {
      const result = parseMention({ source: 'x', id: '1', text: 't', author: { handle: 'a', followers: value } });
      return result.ok ? result.mention.author.followers : result.reason;
    };
    expect([12.5, 1e300, -3, Number.NaN, '1,234', 'lots', null, true].map(followers)).toEqual([12, 10_000_000_000, 0, 0, 1234, 0, 0, 0]);
  });

  it('keeps the optional fields a source fills in, and drops what is unsafe', () => {
    const result = parseMention({
      source: 'bluesky',
      id: 'at://did:plc:abc/app.bsky.feed.post/1',
      text: 't',
      author: { handle: 'kim.bsky.social', id: 'did:plc:abc', verified: true },
      language: 'pt-BR',
      links: ['https://a.example/x', 'javascript:alert(1)', 'https://a.example/with space', 'https://a.example/x'],
      inReplyTo: { id: 'at://did:plc:def/app.bsky.feed.post/0', handle: '@parcelly.app' },
      addressesBrand: true,
      context: '  r/smallbusiness  ',
      replyRef: { cid: 'bafy', rootUri: 'at://x', rootCid: 'bafz' },
    });
    expect(result.ok && result.mention).toMatchObject({
      author: { id: 'did:plc:abc', verified: true },
      language: 'pt-BR',
      links: ['https://a.example/x'],
      inReplyTo: { id: 'at://did:plc:def/app.bsky.feed.post/0', handle: 'parcelly.app' },
      addressesBrand: true,
      context: 'r/smallbusiness',
      replyRef: { cid: 'bafy', rootUri: 'at://x', rootCid: 'bafz' },
    });
    expect(parseMention({ source: 'x', id: '1', text: 't', author: { handle: 'a' }, language: 'not a language!' })).toMatchObject({ ok: true, mention: expect.not.objectContaining({ language: expect.anything() }) });
    expect(parseMention({ source: 'x', id: '1', text: 't', author: { handle: 'a' }, url: 'https://x.com/a status' })).toMatchObject({ ok: true, mention: expect.not.objectContaining({ url: expect.anything() }) });
  });

  it('tells a line that is not JSON from one with the wrong shape', () => {
    expect(parseMentionLine('{oops')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON: /) });
    expect(parseMentionLine('[1,2]')).toMatchObject({ ok: false, reason: expect.not.stringMatching(/^not JSON/) });
  });

  it('cuts a huge text so one post cannot bloat every stage', () => {
    const result = parseMention({ source: 'x', id: '1', text: 'a'.repeat(MAX_MENTION_TEXT * 3), author: { handle: 'a' } });
    expect(result.ok && result.mention.text.length).toBe(MAX_MENTION_TEXT);
  });
});

describe('the mention key', () => {
  it('is the platform and the id when the id is safe for job ids', () => {
    expect(mentionKey({ source: 'x', id: '1859999999999999999' })).toBe('x-1859999999999999999');
    expect(mentionKey({ source: 'reddit', id: 't3_abc12' })).toBe('reddit-t3_abc12');
  });

  it('hashes ids with colons or slashes, the same way every time', () => {
    const id = 'at://did:plc:abc/app.bsky.feed.post/3k2';
    const key = mentionKey({ source: 'bluesky', id });
    expect(key).toMatch(/^bluesky-h[0-9a-f]{24}$/);
    expect(key).not.toContain(':');
    expect(mentionKey({ source: 'bluesky', id })).toBe(key);
    expect(mentionKey({ source: 'bluesky', id: `${id}x` })).not.toBe(key);
  });

  it('never looks like an integer, which BullMQ refuses as a custom job id', () => {
    expect(mentionKey({ source: 'hackernews', id: '41234567' })).not.toMatch(/^\d+$/);
  });
});
