import { describe, expect, it } from 'vitest';
import { mentionKey } from '../../src/core/mention-key.js';
import { keysForReference } from '../../src/core/mention-reference.js';

describe('keysForReference', () => {
  it('takes a mention key as it is', () => {
    expect(keysForReference(' x-1834000000000000001 ')).toEqual(['x-1834000000000000001']);
    expect(keysForReference('bluesky-h0123456789abcdef01234567')).toEqual(['bluesky-h0123456789abcdef01234567']);
  });

  it('maps an X or Twitter post link to its key, query and www/mobile prefixes aside', () => {
    for (const link of ['https://x.com/dana/status/1834000000000000001', 'https://mobile.twitter.com/dana/status/1834000000000000001?s=20', '<https://www.x.com/dana/status/1834000000000000001/photo/1>']) {
      expect(keysForReference(link)).toEqual(['x-1834000000000000001']);
    }
  });

  it('maps Hacker News items and Reddit posts and comments to the ids their sources keep', () => {
    expect(keysForReference('https://news.ycombinator.com/item?id=42000001')).toEqual(['hackernews-42000001']);
    expect(keysForReference('https://www.reddit.com/r/shipping/comments/1abcde/blank_labels/')).toEqual(['reddit-t3_1abcde']);
    expect(keysForReference('https://old.reddit.com/r/shipping/comments/1abcde/blank_labels/kx9z1/')).toEqual(['reddit-t1_kx9z1']);
    expect(keysForReference('t3_1ABCDE')).toEqual(['reddit-t3_1abcde']);
  });

  it('maps a Bluesky link by DID, and an AT URI, to the hashed key of the AT URI', () => {
    const uri = 'at://did:plc:abc123/app.bsky.feed.post/3kq2x';
    expect(keysForReference('https://bsky.app/profile/did:plc:abc123/post/3kq2x')).toEqual([mentionKey({ source: 'bluesky', id: uri })]);
    expect(keysForReference(uri)).toEqual([mentionKey({ source: 'bluesky', id: uri })]);
  });

  it('maps a Mastodon status page and its URI to the key of the URI', () => {
    const key = mentionKey({ source: 'mastodon', id: 'https://mastodon.social/users/dana/statuses/112233' });
    expect(keysForReference('https://mastodon.social/@dana/112233')).toEqual([key]);
    expect(keysForReference('https://mastodon.social/users/dana/statuses/112233')).toEqual([key]);
  });

  it('tries a bare number on the platforms whose ids are numbers', () => {
    expect(keysForReference('1834000000000000001')).toEqual(['x-1834000000000000001', 'hackernews-1834000000000000001']);
  });

  it('names no key for a link no source makes, a Bluesky link by handle, or words', () => {
    expect(keysForReference('https://example.com/dana/status/1834000000000000001')).toEqual([]);
    expect(keysForReference('https://bsky.app/profile/dana.bsky.social/post/3kq2x')).toEqual([]);
    expect(keysForReference('the blank label one')).toEqual([]);
    expect(keysForReference('javascript:alert(1)')).toEqual([]);
  });
});
