import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/core/classification.js';
import type { Mention } from '../../src/core/mention.js';
import { explainRoute, route, type RouteInput, type RoutingCondition, type RoutingPolicy, type SlaPolicy } from '../../src/core/route.js';
import { localTime } from '../../src/core/rules-conditions.js';

const sla: SlaPolicy = {
  claimWithinMinutes: { 0: 240, 1: 60, 2: 30, 3: 15 },
  resolveWithinMinutes: { 0: 2880, 1: 1440, 2: 480, 3: 120 },
};

function input(c: Partial<Classification> = {}, m: Partial<Mention> = {}, extra: Partial<RouteInput> = {}): RouteInput {
  const mention: Mention = { source: 'x', id: '1', text: 'Parcelly lost my parcel', createdAt: '2026-11-18T10:00:00Z', author: { handle: 'jo', name: 'Jo', followers: 100 }, ...m };
  return {
    mention,
    classification: { polarity: 'neutral', score: 0, flags: [], intent: 'other', severity: 0, evidence: [], ...c },
    reach: mention.author.followers,
    ...extra,
  };
}

const only = (when: RoutingCondition, timeZone?: string): RoutingPolicy => ({
  defaultChannel: 'support',
  rules: [{ name: 'r', when, channel: 'leads' }],
  ...(timeZone ? { timeZone } : {}),
});

const takes = (when: RoutingCondition, i: RouteInput, timeZone?: string) => route(i, only(when, timeZone), sla).rule === 'r';
const text = (t: string) => input({}, { text: t });

describe('word conditions', () => {
  it('takes a mention with any of the words, as whole words, in any case', () => {
    expect(takes({ words: { any: ['refund', 'money back'] } }, text('I want my MONEY   back'))).toBe(true);
    expect(takes({ words: { any: ['refund'] } }, text('already refunded'))).toBe(false);
  });

  it('needs every word of `all`', () => {
    expect(takes({ words: { all: ['label', 'blank'] } }, text('the label prints blank'))).toBe(true);
    expect(takes({ words: { all: ['label', 'blank'] } }, text('the label prints fine'))).toBe(false);
  });

  it('refuses a mention with any word of `none`', () => {
    expect(takes({ words: { none: ['giveaway'] } }, text('love it'))).toBe(true);
    expect(takes({ words: { none: ['giveaway'] } }, text('Giveaway! follow us'))).toBe(false);
  });

  it('combines any, all and none', () => {
    const when = { words: { any: ['refund', 'chargeback'], all: ['card'], none: ['test'] } };
    expect(takes(when, text('refund to my card please'))).toBe(true);
    expect(takes(when, text('refund to my card, just a test'))).toBe(false);
    expect(takes(when, text('refund please'))).toBe(false);
  });

  it('keeps `keywords` as any-of words', () => {
    expect(takes({ keywords: ['lawyer'] }, text('my Lawyer will call'))).toBe(true);
    expect(takes({ keywords: ['lawyer'] }, text('lawyers everywhere'))).toBe(false);
  });
});

describe('regular expressions', () => {
  it('takes a mention any pattern finds, case-insensitive', () => {
    expect(takes({ regex: ['order\\s*#?\\d{5,}'] }, text('ORDER #123456 never came'))).toBe(true);
    expect(takes({ regex: ['order\\s*#?\\d{5,}', '^@\\w+ scam'] }, text('order 12 is late'))).toBe(false);
  });
});

describe('conditions on the judgement', () => {
  it.each<[string, RoutingCondition, RouteInput, RouteInput]>([
    ['polarity', { polarity: ['negative'] }, input({ polarity: 'negative' }), input({ polarity: 'positive' })],
    ['the churn-risk flag', { flags: ['churn-risk'] }, input({ flags: ['churn-risk'] }), input({ flags: ['angry'] })],
    ['the angry flag', { flags: ['angry'] }, input({ flags: ['angry'] }), input({ flags: ['happy'] })],
    ['the happy flag', { flags: ['happy'] }, input({ flags: ['happy'] }), input({ flags: [] })],
    ['intent spam', { intent: ['spam'] }, input({ intent: 'spam' }), input({ intent: 'question' })],
    ['a severity range', { severity: { min: 1, max: 2 } }, input({ severity: 2 }), input({ severity: 3 })],
    ['a lower severity bound', { severity: { min: 2 } }, input({ severity: 3 }), input({ severity: 1 })],
    ['minSeverity', { minSeverity: 2 }, input({ severity: 2 }), input({ severity: 1 })],
    ['needsReply: false', { needsReply: false }, input({ needsReply: false }), input({ needsReply: true })],
    ['language', { language: ['de', 'fr'] }, input({ language: 'de' }), input({ language: 'en' })],
    ['an impostor', { impostor: true }, input({ impostor: 'display name "Parcelly Support" on a new account' }), input()],
  ])('matches on %s and skips a mention without it', (_, when, yes, no) => {
    expect(takes(when, yes)).toBe(true);
    expect(takes(when, no)).toBe(false);
  });

  it('counts a mention not judged for needsReply as needing one', () => {
    expect(takes({ needsReply: true }, input())).toBe(true);
    expect(takes({ needsReply: false }, input())).toBe(false);
  });

  it('counts a mention without a language as und', () => {
    expect(takes({ language: ['und'] }, input())).toBe(true);
    expect(takes({ language: ['en'] }, input())).toBe(false);
  });
});

describe('conditions on the author and the source', () => {
  it('matches the platform', () => {
    expect(takes({ platform: ['mastodon'] }, input({}, { source: 'mastodon' }))).toBe(true);
    expect(takes({ platform: ['mastodon'] }, input({}, { source: 'x' }))).toBe(false);
  });

  it('matches a reach range, bounds included', () => {
    const when = { reach: { min: 1000, max: 5000 } };
    expect(takes(when, input({}, { author: { handle: 'a', name: 'a', followers: 1000 } }))).toBe(true);
    expect(takes(when, input({}, { author: { handle: 'a', name: 'a', followers: 5000 } }))).toBe(true);
    expect(takes(when, input({}, { author: { handle: 'a', name: 'a', followers: 5001 } }))).toBe(false);
    expect(takes({ minReach: 5000 }, input({}, { author: { handle: 'a', name: 'a', followers: 4999 } }))).toBe(false);
  });

  it('matches verification only where the platform says', () => {
    const author = (verified?: boolean) => input({}, { author: { handle: 'a', name: 'a', followers: 1, ...(verified === undefined ? {} : { verified }) } });
    expect(takes({ verified: true }, author(true))).toBe(true);
    expect(takes({ verified: false }, author(false))).toBe(true);
    expect(takes({ verified: true }, author(false))).toBe(false);
    expect(takes({ verified: false }, author())).toBe(false);
  });

  it('tells first-time from returning authors, and takes neither while it is unknown', () => {
    expect(takes({ returningAuthor: true }, input({}, {}, { authorSeenBefore: true }))).toBe(true);
    expect(takes({ returningAuthor: false }, input({}, {}, { authorSeenBefore: false }))).toBe(true);
    expect(takes({ returningAuthor: true }, input({}, {}, { authorSeenBefore: false }))).toBe(false);
    expect(takes({ returningAuthor: true }, input())).toBe(false);
    expect(takes({ returningAuthor: false }, input())).toBe(false);
  });

  it('matches fromBrand against the brand flag of the input', () => {
    expect(takes({ fromBrand: true }, input({}, {}, { fromBrand: true }))).toBe(true);
    expect(takes({ fromBrand: true }, input())).toBe(false);
    expect(takes({ fromBrand: false }, input())).toBe(true);
  });
});

describe('time of day and weekday, in the team time zone', () => {
  const at = (iso: string) => input({}, { createdAt: iso });

  it('reads the wall clock of the time zone, summer time included', () => {
    expect(localTime('2026-07-01T08:30:00Z', 'Europe/London')).toMatchObject({ clock: '09:30', weekday: 'wed' });
    expect(localTime('2026-12-01T08:30:00Z', 'Europe/London')).toMatchObject({ clock: '08:30', weekday: 'tue' });
    expect(localTime('2026-11-20T03:00:00Z', 'America/Los_Angeles')).toMatchObject({ clock: '19:00', weekday: 'thu' });
  });

  it('takes a mention written within the hours, from included, to excluded', () => {
    const when = { timeOfDay: { from: '09:00', to: '17:00' } };
    expect(takes(when, at('2026-07-01T08:00:00Z'), 'Europe/London')).toBe(true);
    expect(takes(when, at('2026-07-01T07:59:00Z'), 'Europe/London')).toBe(false);
    expect(takes(when, at('2026-07-01T16:00:00Z'), 'Europe/London')).toBe(false);
  });

  it('wraps hours past midnight', () => {
    const night = { timeOfDay: { from: '22:00', to: '06:00' } };
    expect(takes(night, at('2026-11-20T23:30:00Z'))).toBe(true);
    expect(takes(night, at('2026-11-20T05:59:00Z'))).toBe(true);
    expect(takes(night, at('2026-11-20T12:00:00Z'))).toBe(false);
  });

  it('matches the weekday of the time zone, not of UTC', () => {
    // Saturday 00:30 in Berlin is still Friday in UTC.
    expect(takes({ weekday: ['sat', 'sun'] }, at('2026-11-20T23:30:00Z'), 'Europe/Berlin')).toBe(true);
    expect(takes({ weekday: ['sat', 'sun'] }, at('2026-11-20T23:30:00Z'), 'UTC')).toBe(false);
  });
});

describe('explainRoute', () => {
  it('says which condition of each rule failed, which rule fired, and which were not reached', () => {
    const policy: RoutingPolicy = {
      defaultChannel: 'support',
      rules: [
        { name: 'big-angry', when: { flags: ['angry'], minReach: 5000, intent: ['billing'] }, channel: 'leads' },
        { name: 'tag-billing', when: { intent: ['billing'] }, tags: ['money'], continue: true },
        { name: 'billing', when: { intent: ['billing'] }, channel: 'support' },
        { name: 'later', channel: 'support' },
      ],
    };
    const { route: r, trace } = explainRoute(input({ intent: 'billing', flags: [] }), policy, sla);
    expect(trace).toEqual([
      { rule: 'big-angry', outcome: 'skipped', failed: ['flags: has none, wanted any of angry', 'minReach: 100, not at least 5000'] },
      { rule: 'tag-billing', outcome: 'fired', continues: true },
      { rule: 'billing', outcome: 'fired', continues: false },
      { rule: 'later', outcome: 'not reached', after: 'billing' },
    ]);
    expect(r.rules).toEqual(['tag-billing', 'billing']);
  });

  it('words the failures of words, regex, ranges, time and unknowns', () => {
    const policy = only({
      words: { all: ['label', 'blank'] },
      regex: ['\\d{6}'],
      severity: { min: 1, max: 2 },
      returningAuthor: true,
      timeOfDay: { from: '09:00', to: '17:00' },
      weekday: ['sat'],
    }, 'Europe/London');
    const [step] = explainRoute(input({}, { text: 'the label is fine', createdAt: '2026-11-18T20:15:00Z' }), policy, sla).trace;
    expect(step).toEqual({
      rule: 'r',
      outcome: 'skipped',
      failed: [
        'severity: 0, not 1–2',
        'words: blank not in the text (all wanted)',
        'regex: none of /\\d{6}/ found',
        'returningAuthor: wanted true, is unknown',
        'timeOfDay: written at 20:15 Europe/London, not 09:00–17:00',
        'weekday: written on wed Europe/London, not sat',
      ],
    });
  });
});
