import { describe, expect, it } from 'vitest';
import { MASTODON_URL_LENGTH, PLATFORM_LIMITS, postedReply, replyLength } from '../../src/core/platform-limits.js';

describe('replyLength, as each platform counts', () => {
  it('weighs X text with its own library: Latin 1, CJK and emoji 2, any link 23', () => {
    expect(replyLength('x', 'Thanks, Dana.')).toBe(13);
    expect(replyLength('x', '日本')).toBe(4);
    expect(replyLength('x', '😀')).toBe(2);
    // A family emoji is one emoji for X, however many code points it joins.
    expect(replyLength('x', '👨‍👩‍👧')).toBe(2);
    expect(replyLength('x', 'See https://help.parcelly.com/a/very/long/path/that/goes/on?and=on')).toBe(4 + 23);
    expect(replyLength('x', 'See parcelly.app')).toBe(4 + 23);
    expect(replyLength('x', `${'a'.repeat(256)} https://x.com/${'b'.repeat(300)}`)).toBe(PLATFORM_LIMITS.x);
  });

  it('counts Bluesky in graphemes: an emoji with its modifiers is one', () => {
    expect(replyLength('bluesky', 'Thanks, Dana.')).toBe(13);
    expect(replyLength('bluesky', '👍🏽')).toBe(1);
    expect(replyLength('bluesky', '👨‍👩‍👧 é')).toBe(3);
    expect(replyLength('bluesky', 'e\u0301')).toBe(1);
  });

  it('counts Mastodon links as 23 and a remote mention by its local part', () => {
    expect(replyLength('mastodon', `See https://help.parcelly.example/${'x'.repeat(200)}`)).toBe(4 + MASTODON_URL_LENGTH);
    expect(replyLength('mastodon', '@wren@mastodon.social hi')).toBe('@wren hi'.length);
    expect(replyLength('mastodon', '👍🏽')).toBe(1);
  });

  it('counts what the platform will post: Mastodon leads with the handle unless the text names it', () => {
    expect(postedReply('mastodon', 'wren@mastodon.social', 'Thanks!')).toBe('@wren@mastodon.social Thanks!');
    expect(postedReply('mastodon', 'wren@mastodon.social', 'Thanks @wren@mastodon.social!')).toBe('Thanks @wren@mastodon.social!');
    expect(postedReply('x', 'dana', 'Thanks!')).toBe('Thanks!');
  });
});
