import { describe, expect, it } from 'vitest';
import { ESCALATION_PRIORITY, notifyPriority, notifyQueueName } from '../../src/pipeline/queues.js';

describe('a card\'s BullMQ priority', () => {
  it('puts every route priority before the next, whatever the reach', () => {
    expect(notifyPriority(0, 0)).toBeLessThan(notifyPriority(1, 10_000_000));
    expect(notifyPriority(3, 0)).toBeLessThan(notifyPriority(4, 10_000_000));
  });

  it('puts higher reach first within a route priority, one doubling per step', () => {
    expect(notifyPriority(0, 486_000)).toBeLessThan(notifyPriority(0, 58));
    expect(notifyPriority(0, 0)).toBe(64);
    expect(notifyPriority(0, 1)).toBe(63);
    expect(notifyPriority(0, 50)).toBe(notifyPriority(0, 58));
    expect(notifyPriority(0, 2_000_000)).toBe(notifyPriority(0, 1e300));
    expect(notifyPriority(1, 0)).toBe(128);
  });

  it('stays inside BullMQ\'s 1..2^21 for any input, behind escalations', () => {
    for (const [p, reach] of [[0, 1e300], [0, Number.NaN], [-3, -5], [1e9, 0], [Number.POSITIVE_INFINITY, 12.5], [2.7, 3]] as const) {
      const priority = notifyPriority(p, reach);
      expect(Number.isInteger(priority)).toBe(true);
      expect(priority).toBeGreaterThanOrEqual(1);
      expect(priority).toBeLessThanOrEqual(2 ** 21);
    }
    expect(notifyPriority(0, 1e300, true)).toBe(ESCALATION_PRIORITY + 1);
  });

  it('puts upset customers (angry, churn risk) before calm ones within a route priority, each by reach', () => {
    expect(notifyPriority(0, 0, true)).toBeLessThan(notifyPriority(0, 1e300));
    expect(notifyPriority(0, 486_000, true)).toBeLessThan(notifyPriority(0, 58, true));
    expect(notifyPriority(1, 1e300, true)).toBeGreaterThan(notifyPriority(0, 0));
  });

  it('puts angry customers before churn risks, and churn risks before the calm, whatever their reach', () => {
    expect(notifyPriority(0, 0, 'angry')).toBeLessThan(notifyPriority(0, 1e300, 'churn-risk'));
    expect(notifyPriority(0, 0, 'churn-risk')).toBeLessThan(notifyPriority(0, 1e300));
    expect(notifyPriority(0, 10, true)).toBe(notifyPriority(0, 10, 'angry'));
    expect(notifyPriority(0, 486_000, 'churn-risk')).toBeLessThan(notifyPriority(0, 58, 'churn-risk'));
  });

  it('names one queue per channel without the colon BullMQ refuses', () => {
    expect(notifyQueueName('support')).toBe('notify-support');
  });
});
