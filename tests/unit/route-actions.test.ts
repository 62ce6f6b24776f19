import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/core/classification.js';
import { derivePriority, route, type RouteInput, type RoutingPolicy, type RoutingRule, type SlaPolicy } from '../../src/core/route.js';

const sla: SlaPolicy = {
  claimWithinMinutes: { 0: 240, 1: 60, 2: 30, 3: 15 },
  resolveWithinMinutes: { 0: 2880, 1: 1440, 2: 480, 3: 120 },
};

function input(c: Partial<Classification> = {}, reach = 100): RouteInput {
  return {
    mention: { source: 'x', id: '1', text: 'Parcelly charged me twice', createdAt: '2026-11-18T10:00:00Z', author: { handle: 'jo', name: 'Jo', followers: reach } },
    classification: { polarity: 'negative', score: -0.4, flags: [], intent: 'billing', severity: 1, evidence: [], ...c },
    reach,
  };
}

const policy = (...rules: RoutingRule[]): RoutingPolicy => ({ defaultChannel: 'support', rules });

describe('rule actions', () => {
  it('puts the rule tags on the route, and none when no rule has any', () => {
    expect(route(input(), policy({ name: 'r', channel: 'support', tags: ['billing', 'vip'] }), sla).tags).toEqual(['billing', 'vip']);
    expect(route(input(), policy(), sla).tags).toEqual([]);
  });

  it('pings the role the rule names', () => {
    expect(route(input(), policy({ name: 'r', channel: 'leads', pingRole: '123456789012345678' }), sla).pingRoleId).toBe('123456789012345678');
    expect(route(input(), policy({ name: 'r', channel: 'leads', pingRole: null }), sla)).not.toHaveProperty('pingRoleId');
  });

  it('overrides the SLA times, each on its own', () => {
    const r = route(input({ severity: 1 }), policy({ name: 'r', channel: 'support', sla: { claimWithinMinutes: 5 } }), sla);
    expect(r).toMatchObject({ claimWithinMinutes: 5, resolveWithinMinutes: 1440 });
    expect(route(input({ severity: 3 }), policy({ name: 'r', channel: 'support', sla: { resolveWithinMinutes: 30 } }), sla)).toMatchObject({ claimWithinMinutes: 15, resolveWithinMinutes: 30 });
  });

  it('suppresses with the reason and the rule, keeping the rest of the route', () => {
    const r = route(input({ intent: 'spam' }), policy({ name: 'spam', when: { intent: ['spam'] }, suppress: 'crypto giveaway bots' }), sla);
    expect(r).toMatchObject({ suppressed: { reason: 'crypto giveaway bots', rule: 'spam' }, channel: 'support', rule: 'spam', rules: ['spam'] });
    expect(route(input(), policy(), sla)).not.toHaveProperty('suppressed');
  });

  it('names every rule that fired, and default when none did', () => {
    expect(route(input(), policy(), sla)).toMatchObject({ rule: 'default', rules: [] });
  });
});

describe('rule order and continue', () => {
  it('stops at the first rule that fires unless it continues', () => {
    const rules: RoutingRule[] = [
      { name: 'first', channel: 'leads', tags: ['a'] },
      { name: 'second', channel: 'marketing', tags: ['b'] },
    ];
    expect(route(input(), policy(...rules), sla)).toMatchObject({ channel: 'leads', alsoTo: [], tags: ['a'], rules: ['first'] });
  });

  it('lets later matching rules add channels and tags after a rule that continues', () => {
    const r = route(
      input(),
      policy(
        { name: 'tag-money', when: { intent: ['billing'] }, tags: ['money'], alsoTo: ['leads'], continue: true },
        { name: 'not-me', when: { intent: ['outage'] }, channel: 'leads', tags: ['outage'] },
        { name: 'billing', when: { intent: ['billing'] }, channel: 'support', tags: ['money', 'billing'], alsoTo: ['marketing'] },
      ),
      sla,
    );
    expect(r).toMatchObject({ channel: 'support', alsoTo: ['leads', 'marketing'], tags: ['money', 'billing'], rules: ['tag-money', 'billing'], rule: 'tag-money' });
  });

  it('takes the channel from the first rule that names one; a later rule adds its channel as an extra', () => {
    const r = route(input(), policy({ name: 'a', channel: 'leads', continue: true }, { name: 'b', channel: 'marketing' }), sla);
    expect(r).toMatchObject({ channel: 'leads', alsoTo: ['marketing'] });
  });

  it('keeps the first priority, ping and SLA set, wherever later rules set others', () => {
    const r = route(
      input(),
      policy(
        { name: 'a', priority: 1, continue: true },
        { name: 'b', priority: 3, pingRole: '111111111111111111', sla: { claimWithinMinutes: 10 }, continue: true },
        { name: 'c', channel: 'leads', priority: 0, pingRole: '222222222222222222', sla: { claimWithinMinutes: 2 } },
      ),
      sla,
    );
    expect(r).toMatchObject({ priority: 1, pingRoleId: '111111111111111111', claimWithinMinutes: 10, channel: 'leads' });
  });

  it('falls back to the default channel when the rules that fire name none', () => {
    expect(route(input(), policy({ name: 'tag', tags: ['seen'], continue: true }), sla)).toMatchObject({ channel: 'support', tags: ['seen'], rules: ['tag'] });
  });

  it('suppresses when a suppressing rule is reached after one that continues', () => {
    const r = route(input({ intent: 'spam' }), policy({ name: 'tag', tags: ['x'], continue: true }, { name: 'drop-spam', when: { intent: ['spam'] }, suppress: 'spam' }), sla);
    expect(r.suppressed).toEqual({ reason: 'spam', rule: 'drop-spam' });
  });
});

describe('derived priority', () => {
  it('puts spam last, whatever its mood and reach', () => {
    expect(derivePriority(input({ intent: 'spam', flags: ['angry'], severity: 3 }, 1_000_000))).toBe(4);
  });

  it('moves a churn risk one step more urgent', () => {
    expect(derivePriority(input({ severity: 1 }))).toBe(2);
    expect(derivePriority(input({ severity: 1, flags: ['churn-risk'] }))).toBe(1);
    expect(derivePriority(input({ severity: 1, flags: ['churn-risk'] }, 20_000))).toBe(0);
    expect(derivePriority(input({ flags: ['angry', 'churn-risk'] }))).toBe(0);
  });
});
