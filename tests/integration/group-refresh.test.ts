import type { Job } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupRefresher } from '../../src/pipeline/coalesce.js';
import type { NotifyJob } from '../../src/pipeline/queues.js';
import { createMentionStore, type MentionState, type MentionStore } from '../../src/store/mention-store.js';
import { aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const silent = pino({ level: 'silent' });
const now = new Date('2026-12-03T10:00:00Z');
const group = (count: number) => ({ count, top: [{ key: 'x-1', handle: 'dana', platform: 'x', reach: 1200 }] });

describe("a group card's refresh", () => {
  let t: TestRedis;
  let store: MentionStore;
  beforeEach(async () => {
    t = await openTestRedis();
    store = createMentionStore(t.redis, { prefix: t.prefix });
    await store.saveTriaged('x-1', aTriage(), now);
    await store.recordCard('x-1', { channelKey: 'support', channelId: '100000000000000001', messageId: '100000000000000009' }, now);
    await store.setGroups([{ key: 'x-1', group: group(2) }]);
  });
  afterEach(() => t.cleanup());

  const job = { data: { key: 'x-1', channelKey: 'support', refresh: 'group' } } as unknown as Job<NotifyJob>;

  it('edits the card again when copies join while it is being edited, and shows the last count', async () => {
    const shown: number[] = [];
    // Two more copies join during the first edit, one during the second (their refreshes find this job's id taken).
    const joins = [3, 4];
    const notifier = {
      edit: async (_ref: unknown, state: MentionState) => {
        shown.push(state.group!.count);
        const next = joins.shift();
        if (next) await store.setGroups([{ key: 'x-1', group: group(next) }]);
      },
    };
    expect(await createGroupRefresher({ notifier, store, log: silent })(job)).toBe('refreshed');
    expect(shown).toEqual([2, 3, 4]);
  });

  it('edits once when nothing joins meanwhile', async () => {
    const shown: number[] = [];
    const notifier = { edit: async (_ref: unknown, state: MentionState) => void shown.push(state.group!.count) };
    await createGroupRefresher({ notifier, store, log: silent })(job);
    expect(shown).toEqual([2]);
  });
});
