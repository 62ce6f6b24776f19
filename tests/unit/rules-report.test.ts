import { describe, expect, it } from 'vitest';
import { createRulesTally, describeOutcome, outcomeOf, routeChange } from '../../src/core/rules-report.js';
import type { Route } from '../../src/core/triage-result.js';
import { aMention } from '../support/fixtures.js';

const base: Route = { channel: 'support', rule: 'billing', rules: ['billing'], priority: 2, alsoTo: [], claimWithinMinutes: 30, resolveWithinMinutes: 480, tags: [] };

describe('createRulesTally', () => {
  it('counts per rule with samples, every rule of a continue chain, and what no rule took', () => {
    const tally = createRulesTally(['tag', 'billing', 'unused'], 1);
    tally.add('x-1', aMention({ id: '1', text: 'charged   twice' }), { ...base, rules: ['tag', 'billing'] });
    tally.add('x-2', aMention({ id: '2' }), { ...base, rules: ['billing'] });
    tally.add('x-3', aMention({ id: '3', text: 'hello' }), { ...base, rule: 'default', rules: [] });
    tally.add('x-4', aMention({ id: '4' }), { ...base, suppressed: { reason: 'noise', rule: 'billing' } });
    expect(tally.report()).toEqual({
      mentions: 4,
      suppressed: 1,
      rules: [
        { rule: 'tag', takes: 1, samples: [{ key: 'x-1', text: 'charged twice' }] },
        { rule: 'billing', takes: 3, samples: [{ key: 'x-1', text: 'charged twice' }] },
        { rule: 'unused', takes: 0, samples: [] },
      ],
      unmatched: { count: 1, samples: [{ key: 'x-3', text: 'hello' }] },
    });
  });
});

describe('routeChange', () => {
  const mention = aMention();

  it('is undefined when channel, priority and suppression are the same, whatever the tags', () => {
    expect(routeChange('x-1', mention, base, { ...base, tags: ['new'], alsoTo: [] })).toBeUndefined();
  });

  it('names each part that changed', () => {
    const change = routeChange('x-1', mention, base, { ...base, channel: 'leads', priority: 0, rules: ['angry'] });
    expect(change).toMatchObject({ key: 'x-1', changed: ['channel', 'priority'], before: { channels: ['support'], priority: 2 }, after: { channels: ['leads'], priority: 0, rules: ['angry'] } });
  });

  it('sees an extra channel and a suppression as changes, extra channels in any order as none', () => {
    expect(routeChange('x-1', mention, { ...base, alsoTo: ['leads', 'marketing'] }, { ...base, alsoTo: ['marketing', 'leads'] })).toBeUndefined();
    expect(routeChange('x-1', mention, base, { ...base, alsoTo: ['marketing'] })?.changed).toEqual(['channel']);
    expect(routeChange('x-1', mention, base, { ...base, suppressed: { reason: 'bots', rule: 'spam' } })?.changed).toEqual(['suppression']);
  });

  it('describes an outcome for a person', () => {
    expect(describeOutcome(outcomeOf({ ...base, alsoTo: ['marketing'] }))).toBe('#support (+ #marketing) · priority 2');
    expect(describeOutcome(outcomeOf({ ...base, suppressed: { reason: 'bots', rule: 'spam' } }))).toBe('suppressed by spam ("bots")');
  });
});
