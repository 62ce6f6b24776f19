import type { Redis } from 'ioredis';
import {
  TRANSITIONS,
  type Actor,
  type CardAction,
  type MentionStatus,
  type TransitionOutcome,
} from '../core/card-actions.js';
import type { TriageResult } from '../core/triage-result.js';

/** Where a card was posted: the channel key from config and Discord's ids. */
export interface CardRef {
  channelKey: string;
  channelId: string;
  messageId: string;
}

/** One line of a mention's append-only history. */
export interface HistoryEvent {
  action: string;
  at: string;
  from?: MentionStatus;
  to?: MentionStatus;
  userId?: string;
  userName?: string;
  detail?: string;
}

/** A mention's state as kept in Redis. */
export interface MentionState {
  key: string;
  status: MentionStatus;
  triage: TriageResult;
  holder?: Actor;
  triagedAt: string;
  updatedAt: string;
  cards: CardRef[];
}

// One script for every button: read status and holder, check the rule, write, append history.
// Atomic in Redis, so two clicks at the same moment can never both take a mention.
const TRANSITION_SCRIPT = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing', '', '', ''} end
local holderId = redis.call('HGET', KEYS[1], 'holderId') or ''
local holderName = redis.call('HGET', KEYS[1], 'holderName') or ''
local actor, actorName, now, action, to = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local heldByOther = holderId ~= '' and holderId ~= actor
if ARGV[7] == '1' and heldByOther then return {'held-by-other', status, holderId, holderName} end
local allowed = false
for s in string.gmatch(ARGV[6], '[^,]+') do if s == status then allowed = true end end
if not allowed then
  if heldByOther and (status == 'claimed' or status == 'escalated') then
    return {'held-by-other', status, holderId, holderName}
  end
  return {'wrong-status', status, holderId, holderName}
end
redis.call('HSET', KEYS[1], 'status', to, 'updatedAt', now)
if ARGV[8] == '1' and holderId == '' then
  redis.call('HSET', KEYS[1], 'holderId', actor, 'holderName', actorName)
  holderId, holderName = actor, actorName
end
redis.call('RPUSH', KEYS[2], cjson.encode({action = action, at = now, from = status, to = to, userId = actor, userName = actorName}))
return {'ok', to, holderId, holderName}
`;

export interface MentionStoreOptions {
  /** Key prefix shared with the queues of the same deployment. */
  prefix: string;
  /**
   * How long a mention id is remembered for de-duplication, in seconds.
   * @defaultValue 30 days
   */
  seenTtlSeconds?: number;
}

export type MentionStore = ReturnType<typeof createMentionStore>;

/** Mention state, claims, history and de-duplication records in Redis. */
export function createMentionStore(redis: Redis, options: MentionStoreOptions) {
  const { prefix, seenTtlSeconds = 30 * 24 * 3600 } = options;
  const stateKey = (key: string) => `${prefix}:mention:${key}`;
  const historyKey = (key: string) => `${prefix}:mention:${key}:history`;
  const seenKey = (key: string) => `${prefix}:seen:${key}`;

  async function appendHistory(key: string, event: HistoryEvent): Promise<void> {
    await redis.rpush(historyKey(key), JSON.stringify(event));
  }

  return {
    /** Remembers a mention key; true the first time it is seen within the TTL. */
    async markSeen(key: string): Promise<boolean> {
      return (await redis.set(seenKey(key), '1', 'EX', seenTtlSeconds, 'NX')) === 'OK';
    },

    /** Forgets a mention key, so it may be ingested again (used when enqueueing failed). */
    async forgetSeen(key: string): Promise<void> {
      await redis.del(seenKey(key));
    },

    /** Records a triaged mention as `new`; a mention already recorded keeps its state. */
    async saveTriaged(key: string, triage: TriageResult, now: Date): Promise<boolean> {
      const at = now.toISOString();
      const created = await redis.hsetnx(stateKey(key), 'status', 'new');
      if (!created) return false;
      await redis.hset(stateKey(key), { triage: JSON.stringify(triage), triagedAt: at, updatedAt: at });
      await appendHistory(key, { action: 'triaged', at, to: 'new', detail: `${triage.route.channel} via ${triage.route.rule}` });
      return true;
    },

    async get(key: string): Promise<MentionState | undefined> {
      const fields = await redis.hgetall(stateKey(key));
      if (!fields.status || !fields.triage) return undefined;
      const cards = Object.entries(fields)
        .filter(([name]) => name.startsWith('card:'))
        .map(([name, value]) => {
          const [channelId = '', messageId = ''] = value.split('/');
          return { channelKey: name.slice('card:'.length), channelId, messageId };
        });
      const state: MentionState = {
        key,
        status: fields.status as MentionStatus,
        triage: JSON.parse(fields.triage) as TriageResult,
        triagedAt: fields.triagedAt ?? '',
        updatedAt: fields.updatedAt ?? '',
        cards,
      };
      if (fields.holderId) state.holder = { id: fields.holderId, name: fields.holderName ?? fields.holderId };
      return state;
    },

    /** The card already posted for this mention in that channel, if any. */
    async card(key: string, channelKey: string): Promise<CardRef | undefined> {
      const value = await redis.hget(stateKey(key), `card:${channelKey}`);
      if (!value) return undefined;
      const [channelId = '', messageId = ''] = value.split('/');
      return { channelKey, channelId, messageId };
    },

    async recordCard(key: string, card: CardRef, now: Date): Promise<void> {
      await redis.hset(stateKey(key), `card:${card.channelKey}`, `${card.channelId}/${card.messageId}`);
      await appendHistory(key, { action: 'posted', at: now.toISOString(), detail: `${card.channelKey} ${card.messageId}` });
    },

    /** Applies a button's rule atomically; see `TRANSITIONS`. */
    async transition(key: string, action: Exclude<CardAction, 'reply'>, actor: Actor, now: Date): Promise<TransitionOutcome> {
      const rule = TRANSITIONS[action];
      const [result, status, holderId, holderName] = (await redis.eval(
        TRANSITION_SCRIPT,
        2,
        stateKey(key),
        historyKey(key),
        actor.id,
        actor.name,
        now.toISOString(),
        action,
        rule.to,
        rule.from.join(','),
        rule.claimerOnly ? '1' : '0',
        rule.takesHold ? '1' : '0',
      )) as [string, string, string, string];
      const holder = holderId ? { id: holderId, name: holderName || holderId } : undefined;
      const current = status as MentionStatus;
      if (result === 'ok') return holder ? { ok: true, status: current, holder } : { ok: true, status: current };
      if (result === 'missing') return { ok: false, reason: 'missing' };
      if (result === 'held-by-other' && holder) return { ok: false, reason: 'held-by-other', status: current, holder };
      return holder ? { ok: false, reason: 'wrong-status', status: current, holder } : { ok: false, reason: 'wrong-status', status: current };
    },

    /** Appends a free-form event (a reply draft, an escalation post) to the history. */
    appendHistory,

    async history(key: string): Promise<HistoryEvent[]> {
      const lines = await redis.lrange(historyKey(key), 0, -1);
      return lines.map((line) => JSON.parse(line) as HistoryEvent);
    },
  };
}
