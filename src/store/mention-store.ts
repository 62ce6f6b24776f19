import type { Redis } from 'ioredis';
import {
  MENTION_STATUSES,
  TRANSITIONS,
  type Actor,
  type MentionStatus,
  type StateAction,
  type TransitionOutcome,
} from '../core/card-actions.js';
import type { AuthorHistory } from '../core/author-history.js';
import type { SlaDue } from '../core/sla.js';
import type { GroupSummary } from './duplicate-groups.js';
import type { TriageResult } from '../core/triage-result.js';
import { isPieceField, joinLong, LONG_FIELDS_LUA } from './long-fields.js';
import { decodeTriage, encodeTriage } from './triage-codec.js';

/** Where a card was posted: the channel key from config and Discord's ids. */
export interface CardRef {
  channelKey: string;
  channelId: string;
  messageId: string;
  /** When it was posted, as recorded with it. */
  postedAt?: string;
}

/** One line of a mention's append-only history. */
export interface HistoryEvent {
  action: string;
  at: string;
  from?: MentionStatus;
  to?: MentionStatus;
  userId?: string;
  userName?: string;
  /** Whom the action named (a reassignment). */
  targetId?: string;
  targetName?: string;
  detail?: string;
}

/** A reply the team sent through the platform's API. */
export interface SentReplyRecord {
  /** The platform's id of the reply. */
  id: string;
  url?: string;
  by: Actor;
  at: string;
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
  /** The last reply sent from Discord, when one was. */
  sent?: SentReplyRecord;
  /** How many state changes it has had (0 before the first); an SLA timer set for another is stale. */
  rev: number;
  /** The SLA time the card shows, while one runs. */
  due?: SlaDue;
  /** The last state change: what, who, when (the card shows it). */
  lastAction?: HistoryEvent;
  /** The author's earlier mentions, as they stood when the first card was posted. */
  author?: AuthorHistory;
  /** Near duplicates share this mention's card: how many and who (see src/pipeline/coalesce.ts). */
  group?: GroupSummary;
}

/** Options of a state change beyond the rule itself. */
export interface TransitionOptions {
  /** Whom a reassignment gives the mention to. */
  target?: Actor;
  /** Recorded with the event, e.g. why it was dismissed. */
  detail?: string;
  /** Lets the actor act on someone else's claim (a lead releasing it). @defaultValue false */
  overrideHolder?: boolean;
}

// One script for every button: read status and holder, check the rule, write, append history.
// Atomic in Redis, so two clicks at the same moment can never both take a mention.
const TRANSITION_SCRIPT = `${LONG_FIELDS_LUA}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'missing', '', '', ''} end
local holderId = redis.call('HGET', KEYS[1], 'holderId') or ''
local holderName = getLong(KEYS[1], 'holderName') or ''
local actor, actorName, now, action, to, holderChange = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[8]
local heldByOther = holderId ~= '' and holderId ~= actor
local allowed = false
for s in string.gmatch(ARGV[6], '[^,]+') do if s == status then allowed = true end end
-- The status decides first: "already resolved" says more than "only X can".
if not allowed then
  if heldByOther and status == 'claimed' then return {'held-by-other', status, holderId, holderName} end
  return {'wrong-status', status, holderId, holderName}
end
if ARGV[7] == '1' and heldByOther then return {'held-by-other', status, holderId, holderName} end
redis.call('HSET', KEYS[1], 'status', to, 'updatedAt', now)
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
if status == 'new' and to ~= 'new' then redis.call('ZREM', KEYS[3], ARGV[9]) end
if to == 'new' and status ~= 'new' then redis.call('ZADD', KEYS[3], ARGV[15], ARGV[9]) end
redis.call('HINCRBY', KEYS[4], status, -1)
redis.call('HINCRBY', KEYS[4], to, 1)
if holderChange == 'none' then
  redis.call('HDEL', KEYS[1], 'holderId')
  delLong(KEYS[1], 'holderName')
  holderId, holderName = '', ''
elseif (holderChange == 'actor-if-none' and holderId == '') or holderChange == 'actor' then
  redis.call('HSET', KEYS[1], 'holderId', actor)
  setLong(KEYS[1], 'holderName', actorName)
  holderId, holderName = actor, actorName
elseif holderChange == 'target' then
  redis.call('HSET', KEYS[1], 'holderId', ARGV[10])
  setLong(KEYS[1], 'holderName', ARGV[13])
  holderId, holderName = ARGV[10], ARGV[13]
end
-- A closed mention has no SLA time left to show; a reopened one is kept again.
if to == 'resolved' or to == 'dismissed' then delLong(KEYS[1], 'due') end
if status == 'resolved' or status == 'dismissed' then
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[2])
end
-- A closed mention is kept for a while (reports, late clicks), then forgotten.
if to == 'resolved' or to == 'dismissed' then
  redis.call('EXPIRE', KEYS[1], ARGV[11])
  redis.call('EXPIRE', KEYS[2], ARGV[11])
  -- Remembered as seen for the longer of the two windows.
  if tonumber(ARGV[12]) > tonumber(ARGV[11]) then redis.call('SET', KEYS[5], '1', 'EX', ARGV[12]) end
end
local event = {action = action, at = now, from = status, to = to, userId = actor, userName = actorName}
if holderChange == 'target' then event.targetId, event.targetName = ARGV[10], ARGV[13] end
if ARGV[14] ~= '' then event.detail = ARGV[14] end
local line = cjson.encode(event)
redis.call('RPUSH', KEYS[2], line)
setLong(KEYS[1], 'last', line)
-- Who holds which open mention, for "/triage mine".
if holderId ~= '' and to ~= 'resolved' and to ~= 'dismissed' then redis.call('HSET', KEYS[6], ARGV[9], holderId) else redis.call('HDEL', KEYS[6], ARGV[9]) end
return {'ok', to, holderId, holderName, rev}
`;

// The SLA time is written only for the state it was computed from.
const SET_DUE_SCRIPT = `${LONG_FIELDS_LUA}
if (redis.call('HGET', KEYS[1], 'status') or '') == '' then return 0 end
if tonumber(redis.call('HGET', KEYS[1], 'rev') or '0') ~= tonumber(ARGV[1]) then return 0 end
if ARGV[2] == '' then delLong(KEYS[1], 'due') else setLong(KEYS[1], 'due', ARGV[2]) end
return 1
`;

// A card field is `channelId/messageId/postedAt (ms)`; earlier versions wrote the first two only.
function parseCardRef(channelKey: string, value: string): CardRef {
  const [channelId = '', messageId = '', postedMs] = value.split('/');
  const at = Number(postedMs);
  return { channelKey, channelId, messageId, ...(postedMs && Number.isFinite(at) ? { postedAt: new Date(at).toISOString() } : {}) };
}

// Priority first, then age: ms since the epoch stay below 1e13 until the year 2286.
function unclaimedScore(triage: TriageResult): number {
  return triage.route.priority * 1e13 + (Date.parse(triage.mention.createdAt) || 0);
}

// Create the state, its place in the unclaimed index and the count together, so a crash can
// never leave a half-recorded mention that a retry cannot repair. (The history's first line,
// "triaged", is read from the state itself: no list is kept until something happens.)
// The ingest "seen" marker is dropped: from here on the state itself says the mention was
// seen. A mention recorded before returns its recorded triage (the card must not change
// under a claimer), so the caller needs no second read.
const SAVE_SCRIPT = `${LONG_FIELDS_LUA}
if redis.call('HSETNX', KEYS[1], 'status', 'new') == 0 then
  redis.call('DEL', KEYS[4])
  return getLong(KEYS[1], 'triage') or ''
end
setLong(KEYS[1], 'triage', ARGV[1], true)
redis.call('HSET', KEYS[1], 'triagedAt', ARGV[2], 'updatedAt', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('HINCRBY', KEYS[3], 'new', 1)
redis.call('DEL', KEYS[4])
return 1
`;

// Seen = recorded (the state exists) or queued and not yet recorded (the marker exists).
const SEEN_SCRIPT = `
local seen = {}
for i = 1, #KEYS, 2 do
  seen[#seen + 1] = (redis.call('EXISTS', KEYS[i]) == 1 or redis.call('EXISTS', KEYS[i + 1]) == 1) and 1 or 0
end
return seen
`;

// Replaces a triage still kept as plain JSON (as triage first writes it, to keep the busy
// stage fast) with its compact form, once; a state that is gone is left alone.
const COMPACT_SCRIPT = `${LONG_FIELDS_LUA}
local stored = redis.call('HGET', KEYS[1], 'triage')
if stored and string.sub(stored, 1, 1) == '{' then setLong(KEYS[1], 'triage', ARGV[1]) end
return 0
`;

// Sets one field of a mention's state only while the state exists: a hash of one field
// would outlive the mention without an expiry.
const SET_IF_RECORDED_SCRIPT = `${LONG_FIELDS_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then setLong(KEYS[1], ARGV[1], ARGV[2]) end
return 0`;

// Sets a long field and `updatedAt` (a sent reply), or a long field alone (a note's last line) when ARGV[3] is empty.
const SET_LONG_SCRIPT = `${LONG_FIELDS_LUA}
setLong(KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3]) end
return 0`;

/** The save script as a defined command (see `defineCommand`), on a client or a pipeline; the Buffer form keeps the stored triage's bytes. */
interface SaveCommands {
  mtSaveTriagedBuffer(stateKey: string, unclaimedKey: string, countsKey: string, seenKey: string, triage: Buffer, at: string, score: number, key: string): unknown;
}

export interface MentionStoreOptions {
  /** Key prefix shared with the queues of the same deployment. */
  prefix: string;
  /**
   * How long a mention id is remembered for de-duplication, in seconds.
   * @defaultValue 30 days
   */
  seenTtlSeconds?: number;
  /**
   * How long a resolved or dismissed mention's state and history are kept, in seconds.
   * @defaultValue 90 days
   */
  closedTtlSeconds?: number;
}

export type MentionStore = ReturnType<typeof createMentionStore>;

/** Mention state, claims, history and de-duplication records in Redis. */
export function createMentionStore(redis: Redis, options: MentionStoreOptions) {
  const { prefix, seenTtlSeconds = 30 * 24 * 3600, closedTtlSeconds = 90 * 24 * 3600 } = options;
  const stateKey = (key: string) => `${prefix}:mention:${key}`;
  const historyKey = (key: string) => `${prefix}:mention:${key}:history`;
  const seenKey = (key: string) => `${prefix}:seen:${key}`;
  const stackKey = (messageId: string) => `${prefix}:stack:${messageId}`;
  const unclaimedKey = `${prefix}:unclaimed`;
  const holdersKey = `${prefix}:holders`;
  const countsKey = `${prefix}:counts`;
  // A defined command is sent by its hash (EVALSHA) and loaded again if Redis lost it.
  if (!('mtSaveTriagedBuffer' in redis)) redis.defineCommand('mtSaveTriaged', { numberOfKeys: 4, lua: SAVE_SCRIPT });

  async function appendHistory(key: string, event: HistoryEvent): Promise<void> {
    await redis.rpush(historyKey(key), JSON.stringify(event));
  }

  async function get(key: string): Promise<MentionState | undefined> {
    const raw = await redis.hgetallBuffer(stateKey(key));
    const fields: Record<string, string> = {};
    // Long values are kept in pieces (see long-fields.ts): each field read whole.
    for (const name of Object.keys(raw)) if (name !== 'triage' && !isPieceField(name)) fields[name] = joinLong(raw, name)!.toString('utf8');
    const storedTriage = joinLong(raw, 'triage');
    if (!fields.status || !storedTriage) return undefined;
    const cards = Object.entries(fields)
      .filter(([name]) => name.startsWith('card:'))
      .map(([name, value]) => parseCardRef(name.slice('card:'.length), value));
    const state: MentionState = {
      key,
      status: fields.status as MentionStatus,
      triage: decodeTriage(storedTriage),
      triagedAt: fields.triagedAt ?? '',
      updatedAt: fields.updatedAt ?? '',
      cards,
      rev: Number(fields.rev ?? 0),
    };
    if (fields.holderId) state.holder = { id: fields.holderId, name: fields.holderName ?? fields.holderId };
    if (fields.sent) state.sent = JSON.parse(fields.sent) as SentReplyRecord;
    if (fields.due) state.due = JSON.parse(fields.due) as SlaDue;
    if (fields.last) state.lastAction = JSON.parse(fields.last) as HistoryEvent;
    if (fields.author) state.author = JSON.parse(fields.author) as AuthorHistory;
    if (fields.group) state.group = JSON.parse(fields.group) as GroupSummary;
    return state;
  }

  /**
   * Records triaged mentions in one round trip, each atomically as {@link saveTriaged}
   * does. For each: whether it was created now, and the triage that stands (a mention
   * recorded before keeps its first triage).
   */
  async function saveTriagedMany(items: ReadonlyArray<{ key: string; triage: TriageResult }>, now: Date): Promise<Array<{ created: boolean; triage: TriageResult }>> {
    if (items.length === 0) return [];
    const at = now.toISOString();
    const pipeline = redis.pipeline();
    for (const { key, triage } of items) {
      (pipeline as unknown as SaveCommands).mtSaveTriagedBuffer(stateKey(key), unclaimedKey, countsKey, seenKey(key), Buffer.from(JSON.stringify(triage)), at, unclaimedScore(triage), key);
    }
    const results = (await pipeline.exec()) ?? [];
    return items.map(({ triage }, i) => {
      const [error, value] = results[i] ?? [new Error('no answer from Redis')];
      if (error) throw error;
      if (value === 1) return { created: true, triage };
      // Recorded before: its triage stands. A state without one (never written that way) keeps the new.
      return { created: false, triage: Buffer.isBuffer(value) && value.length ? decodeTriage(value) : triage };
    });
  }

  return {
    /**
     * For each key, whether the mention was seen: its state is recorded (open, or closed
     * within the retention), or it was queued and triage has not recorded it yet.
     */
    async seen(keys: string[]): Promise<boolean[]> {
      if (keys.length === 0) return [];
      const values = (await redis.eval(SEEN_SCRIPT, keys.length * 2, ...keys.flatMap((key) => [stateKey(key), seenKey(key)]))) as number[];
      return values.map((v) => v === 1);
    },

    /** Marks keys as queued, until triage records them (or for the de-duplication window, if it never does). */
    async markSeen(keys: string[]): Promise<void> {
      if (keys.length === 0) return;
      const batch = redis.multi();
      for (const key of keys) batch.set(seenKey(key), '1', 'EX', seenTtlSeconds);
      await batch.exec();
    },

    /** Records a triaged mention as `new`, atomically; a mention already recorded keeps its state. */
    async saveTriaged(key: string, triage: TriageResult, now: Date): Promise<boolean> {
      return (await saveTriagedMany([{ key, triage }], now))[0]!.created;
    },

    saveTriagedMany,

    get,

    /** Records the group summary each leader's card shows (a mention no longer recorded is left alone). */
    async setGroups(items: ReadonlyArray<{ key: string; group: GroupSummary }>): Promise<void> {
      const batch = redis.pipeline();
      for (const { key, group } of items) batch.eval(SET_IF_RECORDED_SCRIPT, 1, stateKey(key), 'group', JSON.stringify(group));
      await batch.exec();
    },

    /** The card already posted for this mention in that channel, if any. */
    async card(key: string, channelKey: string): Promise<CardRef | undefined> {
      const value = await redis.hget(stateKey(key), `card:${channelKey}`);
      return value ? parseCardRef(channelKey, value) : undefined;
    },

    /** Records which mentions' cards share a message (a stack), in their order there. */
    async recordStack(messageId: string, keys: readonly string[]): Promise<void> {
      await redis.set(stackKey(messageId), keys.join(' '), 'EX', closedTtlSeconds);
    },

    /** The mentions whose cards share this message, in order; undefined for a message of one card. */
    async stackOf(messageId: string): Promise<string[] | undefined> {
      const value = await redis.get(stackKey(messageId));
      return value ? value.split(' ') : undefined;
    },

    /** Records a posted card on the state; its "posted" history line is read from there (see {@link history}). */
    /**
     * Records where a mention's card was posted. With its triage, the stored triage is
     * made compact too (see {@link compact}), off the triage stage's busy path.
     */
    async recordCard(key: string, card: CardRef, now: Date, triage?: TriageResult): Promise<void> {
      const batch = redis.multi().hset(stateKey(key), `card:${card.channelKey}`, `${card.channelId}/${card.messageId}/${now.getTime()}`);
      if (triage) batch.eval(COMPACT_SCRIPT, 1, stateKey(key), encodeTriage(triage));
      await batch.exec();
    },

    /**
     * Stores the given triages in their compact form where they are still plain JSON:
     * triage first writes JSON (fast), the notify stage compacts a mention as its card is
     * posted, and this does it for mentions that get no card (a near duplicate on its
     * group's card, a suppressed one).
     */
    async compact(items: ReadonlyArray<{ key: string; triage: TriageResult }>): Promise<void> {
      if (items.length === 0) return;
      const batch = redis.pipeline();
      for (const { key, triage } of items) batch.eval(COMPACT_SCRIPT, 1, stateKey(key), encodeTriage(triage));
      await batch.exec();
    },

    /** Applies a button's rule atomically; see `TRANSITIONS`. */
    async transition(key: string, action: StateAction, actor: Actor, now: Date, options: TransitionOptions = {}): Promise<TransitionOutcome> {
      const rule = TRANSITIONS[action];
      if (rule.holder === 'target' && !options.target) throw new Error(`transition ${action} of ${key}: needs the person it goes to (options.target)`);
      // Back in the unclaimed index at its place by priority and age (the triage never changes).
      const triage = rule.to === 'new' ? (await get(key))?.triage : undefined;
      const [result, status, holderId, holderName] = (await redis.eval(
        TRANSITION_SCRIPT,
        6,
        stateKey(key),
        historyKey(key),
        unclaimedKey,
        countsKey,
        seenKey(key),
        holdersKey,
        actor.id,
        actor.name,
        now.toISOString(),
        action,
        rule.to,
        rule.from.join(','),
        rule.claimerOnly && !options.overrideHolder ? '1' : '0',
        rule.holder,
        key,
        options.target?.id ?? '',
        closedTtlSeconds,
        seenTtlSeconds,
        options.target?.name ?? '',
        options.detail ?? '',
        triage ? unclaimedScore(triage) : 0,
      )) as [string, string, string, string];
      const holder = holderId ? { id: holderId, name: holderName || holderId } : undefined;
      const current = status as MentionStatus;
      if (result === 'ok') return holder ? { ok: true, status: current, holder } : { ok: true, status: current };
      if (result === 'missing') return { ok: false, reason: 'missing' };
      if (result === 'held-by-other' && holder) return { ok: false, reason: 'held-by-other', status: current, holder };
      return holder ? { ok: false, reason: 'wrong-status', status: current, holder } : { ok: false, reason: 'wrong-status', status: current };
    },

    /**
     * Records the SLA time the card shows, unless the mention changed state since `rev`
     * (a later change set its own). Undefined clears it. True when written.
     */
    async setDue(key: string, rev: number, due: SlaDue | undefined): Promise<boolean> {
      const written = await redis.eval(SET_DUE_SCRIPT, 1, stateKey(key), String(rev), due ? JSON.stringify(due) : '');
      return written === 1;
    },

    /** Records the author's history shown on the card; nothing when the mention is gone. */
    async setAuthorHistory(key: string, history: AuthorHistory): Promise<void> {
      await redis.eval(SET_IF_RECORDED_SCRIPT, 1, stateKey(key), 'author', JSON.stringify(history));
    },

    /**
     * Marks an SLA step of one state as done, once: false when it was marked before (the
     * step already fired). Kept as long as a closed mention.
     */
    async markSlaFired(key: string, rev: number, step: string): Promise<boolean> {
      return (await redis.set(`${stateKey(key)}:sla:${rev}:${step}`, '1', 'EX', closedTtlSeconds, 'NX')) === 'OK';
    },

    /** Forgets a step's mark after a failed attempt, so the retry can act. */
    async unmarkSlaFired(key: string, rev: number, step: string): Promise<void> {
      await redis.del(`${stateKey(key)}:sla:${rev}:${step}`);
    },

    /** Unclaimed mentions, most urgent first (priority, then oldest). */
    async unclaimed(limit: number): Promise<MentionState[]> {
      const keys = await redis.zrange(unclaimedKey, 0, limit - 1);
      const states = await Promise.all(keys.map(get));
      return states.filter((s): s is MentionState => s !== undefined);
    },

    /** The open mentions someone holds (claimed since holders were recorded), most urgent first (priority, then oldest). */
    async heldBy(userId: string, limit: number): Promise<MentionState[]> {
      const holders = await redis.hgetall(holdersKey);
      const keys = Object.entries(holders).filter(([, holder]) => holder === userId).map(([key]) => key);
      const states = (await Promise.all(keys.map(get))).filter((s): s is MentionState => s !== undefined && s.holder?.id === userId);
      return states.sort((a, b) => unclaimedScore(a.triage) - unclaimedScore(b.triage)).slice(0, limit);
    },

    /** How many mentions are in each status. */
    async counts(): Promise<Record<MentionStatus, number>> {
      const raw = await redis.hgetall(countsKey);
      return Object.fromEntries(MENTION_STATUSES.map((s) => [s, Number(raw[s] ?? 0)])) as Record<MentionStatus, number>;
    },

    /**
     * Takes the right to send a reply for this mention for `ttlSeconds` (one send at a
     * time: a double submit must not post twice). False when a send is under way.
     */
    async beginSend(key: string, ttlSeconds = 120): Promise<boolean> {
      return (await redis.set(`${stateKey(key)}:sending`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },

    async endSend(key: string): Promise<void> {
      await redis.del(`${stateKey(key)}:sending`);
    },

    /** Records a reply sent through the platform: on the state (the card shows it) and in the history. */
    async recordSentReply(key: string, sent: SentReplyRecord, text: string): Promise<void> {
      await redis.eval(SET_LONG_SCRIPT, 1, stateKey(key), 'sent', JSON.stringify(sent), sent.at);
      await appendHistory(key, { action: 'replied', at: sent.at, userId: sent.by.id, userName: sent.by.name, detail: JSON.stringify({ id: sent.id, ...(sent.url ? { url: sent.url } : {}), text }) });
    },

    /** Appends a free-form event (a reply draft, an escalation post) to the history. */
    appendHistory,

    /** Adds an event that changes no state (a correction) to the history; the card shows it as the last change. */
    async note(key: string, event: HistoryEvent): Promise<void> {
      const line = JSON.stringify(event);
      await redis.multi().rpush(historyKey(key), line).eval(SET_LONG_SCRIPT, 1, stateKey(key), 'last', line, '').exec();
    },

    /**
     * The mention's history, oldest first. "triaged" and each card's "posted" are read from
     * the state (a mention nobody touched keeps no history list); every other event is
     * appended as it happens.
     */
    async history(key: string): Promise<HistoryEvent[]> {
      const [lines, state] = await Promise.all([redis.lrange(historyKey(key), 0, -1), get(key)]);
      const events = lines.map((line) => JSON.parse(line) as HistoryEvent);
      if (!state) return events;
      const { route } = state.triage;
      const fromState: HistoryEvent[] = [
        { action: 'triaged', at: state.triagedAt, to: 'new', detail: `${route.channel} via ${route.rule}` },
        ...state.cards.filter((card) => card.postedAt).map((card) => ({ action: 'posted', at: card.postedAt!, detail: `${card.channelKey} ${card.messageId}` })),
      ];
      // Stable: events at the same instant keep their order (state first, as they happened).
      return [...fromState, ...events].map((event, i) => ({ event, i })).sort((a, b) => a.event.at.localeCompare(b.event.at) || a.i - b.i).map(({ event }) => event);
    },
  };
}
