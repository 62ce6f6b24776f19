import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/core/classification.js';
import type { Mention } from '../../src/core/mention.js';
import { type RouteInput, type RoutingPolicy, type SlaPolicy, route } from '../../src/core/route.js';

const sla: SlaPolicy = {
  claimWithinMinutes: { 0: 240, 1: 60, 2: 30, 3: 15 },
  resolveWithinMinutes: { 0: 2880, 1: 1440, 2: 480, 3: 120 },
};

function input(c: Partial<Classification> = {}, m: Partial<Mention> = {}, reach = 100): RouteInput {
  return {
    mention: {
      source: 'x',
      id: '1',
      text: 'Parcelly lost my parcel',
      createdAt: '2025-01-01T00:00:00Z',
      author: { handle: 'jo', name: 'Jo', followers: reach },
      ...m,
    },
    classification: { polarity: 'neutral', score: 0, flags: [], intent: 'other', severity: 0, evidence: [], ...c },
    reach,
  };
}

const only = (when: RoutingPolicy['rules'][number]['when']): RoutingPolicy => ({
  defaultChannel: 'support',
  rules: [{ name: 'r', when, channel: 'leads' }],
});

describe('route', () => {
  it('sends a mention no rule matches to the default channel under the rule "default"', () => {
    const r = route(input(), { defaultChannel: 'support', rules: [] }, sla);
    expect(r).toMatchObject({ channel: 'support', rule: 'default', alsoTo: [] });
  });

  it('lets the first matching rule win', () => {
    const policy: RoutingPolicy = {
      defaultChannel: 'support',
      rules: [
        { name: 'billing', when: { intent: ['billing'] }, channel: 'support' },
        { name: 'angry', when: { flags: ['angry'] }, channel: 'leads' },
        { name: 'angry-too', when: { flags: ['angry'] }, channel: 'marketing' },
      ],
    };
    expect(route(input({ flags: ['angry'] }), policy, sla).rule).toBe('angry');
    expect(route(input({ flags: ['angry'], intent: 'billing' }), policy, sla).rule).toBe('billing');
  });

  it('matches a rule without conditions for every mention', () => {
    expect(route(input(), { defaultChannel: 'support', rules: [{ name: 'all', channel: 'leads' }] }, sla).channel).toBe('leads');
  });

  it.each([
    ['intent', { intent: ['outage', 'bug'] }, input({ intent: 'bug' }), input({ intent: 'question' })],
    ['flags (any of)', { flags: ['angry', 'happy'] }, input({ flags: ['happy'] }), input({ flags: [] })],
    ['polarity', { polarity: ['negative'] }, input({ polarity: 'negative' }), input({ polarity: 'positive' })],
    ['minSeverity', { minSeverity: 2 }, input({ severity: 2 }), input({ severity: 1 })],
    ['minReach', { minReach: 5000 }, input({}, {}, 5000), input({}, {}, 4999)],
    ['platform', { platform: ['bluesky'] }, input({}, { source: 'bluesky' }), input({}, { source: 'x' })],
    ['keywords', { keywords: ['refund'] }, input({}, { text: 'I want a REFUND now' }), input({}, { text: 'refunded already' })],
    ['keyword phrases', { keywords: ['trading standards'] }, input({}, { text: 'reporting to Trading\nStandards!' }), input({}, { text: 'trading is standard' })],
  ] as const)('matches on %s and skips a mention without it', (_, when, yes, no) => {
    expect(route(yes, only(when), sla).rule).toBe('r');
    expect(route(no, only(when), sla).rule).toBe('default');
  });

  it('requires every condition of a rule to hold', () => {
    const policy = only({ flags: ['angry'], minReach: 5000 });
    expect(route(input({ flags: ['angry'] }, {}, 10_000), policy, sla).channel).toBe('leads');
    expect(route(input({ flags: ['angry'] }, {}, 10), policy, sla).channel).toBe('support');
    expect(route(input({}, {}, 10_000), policy, sla).channel).toBe('support');
  });

  it('takes the priority from the rule when it sets one', () => {
    const policy: RoutingPolicy = { defaultChannel: 'support', rules: [{ name: 'r', channel: 'support', priority: 4 }] };
    expect(route(input({ flags: ['angry'], severity: 3 }, {}, 1_000_000), policy, sla).priority).toBe(4);
  });

  it.each<[string, Partial<Classification>, number]>([
    ['an angry mention', { flags: ['angry'] }, 0],
    ['a severe mention', { severity: 3 }, 0],
    ['a medium-severity mention', { severity: 2 }, 1],
    ['a negative mention', { polarity: 'negative' }, 2],
    ['a question', { intent: 'question' }, 3],
    ['a happy mention', { flags: ['happy'], polarity: 'positive', intent: 'praise' }, 3],
    ['neutral chatter', { intent: 'other' }, 4],
  ])('derives priority %s → %i', (_, c, expected) => {
    expect(route(input(c), { defaultChannel: 'support', rules: [] }, sla).priority).toBe(expected);
  });

  it('raises a derived priority one step for a high-reach author, never below 0', () => {
    const policy: RoutingPolicy = { defaultChannel: 'support', rules: [], highReach: 5000 };
    expect(route(input({ intent: 'question' }, {}, 5000), policy, sla).priority).toBe(2);
    expect(route(input({ flags: ['angry'] }, {}, 5000), policy, sla).priority).toBe(0);
    expect(route(input({ intent: 'question' }, {}, 10_000), { defaultChannel: 'support', rules: [] }, sla).priority).toBe(2);
  });

  it('takes the claim time from the SLA by severity', () => {
    const policy: RoutingPolicy = { defaultChannel: 'support', rules: [] };
    expect([0, 1, 2, 3].map((s) => route(input({ severity: s as 0 }), policy, sla).claimWithinMinutes)).toEqual([240, 60, 30, 15]);
  });

  it('dedupes alsoTo and leaves out the main channel', () => {
    const policy: RoutingPolicy = {
      defaultChannel: 'support',
      rules: [{ name: 'r', channel: 'support', alsoTo: ['marketing', 'support', 'marketing', 'leads'] }],
    };
    expect(route(input(), policy, sla).alsoTo).toEqual(['marketing', 'leads']);
  });
});

describe('routing by who wrote the mention', () => {
  it("matches fromBrand only against the brand's own posts, and fromBrand: false only against everyone else's", () => {
    const classification: Classification = { polarity: 'neutral', score: 0, flags: [], intent: 'other', severity: 0, evidence: [] };
    const mention: Mention = { source: 'x', id: '1', text: 't', createdAt: '2026-11-20T10:00:00Z', author: { handle: 'a', name: 'a', followers: 1 } };
    const policy = { defaultChannel: 'support', rules: [{ name: 'own', when: { fromBrand: true }, channel: 'support', priority: 4 }, { name: 'others', when: { fromBrand: false }, channel: 'leads' }] };
    const sla = { claimWithinMinutes: { 0: 1, 1: 1, 2: 1, 3: 1 }, resolveWithinMinutes: { 0: 1, 1: 1, 2: 1, 3: 1 } };
    expect(route({ mention, classification, reach: 1, fromBrand: true }, policy, sla).rule).toBe('own');
    expect(route({ mention, classification, reach: 1 }, policy, sla).rule).toBe('others');
  });
});
