import type { Redis } from 'ioredis';
import { signatureKeys, type DuplicateSignature } from '../core/near-duplicate.js';

/** Who wrote one mention of a group, as its card shows them. */
export interface GroupAuthor {
  /** Mention key of this author's post with the most reach in the group. */
  key: string;
  handle: string;
  platform: string;
  reach: number;
  /** Link to that post, when it has one. */
  url?: string;
}

/** What a group card shows of its group. */
export interface GroupSummary {
  /** Mentions in the group, the one whose card it is included. */
  count: number;
  /** The authors with the most reach, most first. */
  top: GroupAuthor[];
}

/** The mention joining a group, as {@link DuplicateGroups.join} needs it. */
export interface JoiningMention {
  reach: number;
  handle: string;
  platform: string;
  /** Link to the post, shown with its author. */
  url?: string;
  /** When the post was written: the window is measured in post time, so a replay groups as live posting did. */
  at: Date;
}

/** What a join did and where the group stands. */
export interface JoinResult {
  /** Key of the mention that leads the group (the first one); the group card belongs to it. */
  leader: string;
  /** True only for the join that opened the group: this mention is its leader and new. */
  created: boolean;
  /** The mention had joined before (a retried job): nothing changed. */
  repeated: boolean;
  /** Mentions in the group, the leader included. */
  count: number;
  /** The authors with the most reach, most first; each author once, with their post of most reach. */
  top: GroupAuthor[];
}

/** A group as kept. */
export interface DuplicateGroup {
  leader: string;
  count: number;
  /** Time of the earliest and latest post in the group. */
  firstAt: string;
  lastAt: string;
  top: GroupAuthor[];
  /** Mention keys in joining order, the leader first; the first {@link DuplicateGroupsOptions.maxMembers}. */
  members: string[];
}

export interface DuplicateGroupsOptions {
  /** Key prefix shared with the queues of the same deployment. */
  prefix: string;
  /**
   * How far apart, in post time, two mentions of one group may be: a group takes a new
   * member while its latest post is at most this old. Also the life of the lookup keys.
   */
  windowSeconds: number;
  /**
   * How long a group of two or more is kept after its last join, for cards and reports.
   * A group that never gets a second member is forgotten with its lookup keys.
   * @defaultValue 7 days
   */
  retentionSeconds?: number;
  /** Authors kept per group, by reach. @defaultValue 5 */
  topAuthors?: number;
  /** Member keys listed per group (the count goes on past it). @defaultValue 50 */
  maxMembers?: number;
}

// One script per batch of joins, run in order, so parallel joins of one text make one
// group with the right count.
//
// Lookup pointers live in hashes per slot of post time (`dup:slot:<n>`, a slot as long as
// the window): the field is a signature key, the value the leader of the group it points
// at. A post looks in its own slot and the two beside it, so every pointer within a
// window of it is seen; a hash is forgotten a few windows after its last write. A
// pointer in a hash costs a fraction of a key of its own.
// Only the leader's own keys and each member's exact key point at a group: members'
// bands do not, so a group cannot drift along a chain of near duplicates (A like B, B
// like C) and swallow posts that resemble none of its first.
// `dup:of:<mention>`: the group a member joined (a retry changes nothing; a leader needs
// none, its group is named after it). Group hash `dup:group:<leader>`: count, first, last
// (ms), and one field per top author, `t:<platform>\t<handle>` = `<reach>\t<seq>\t<key>`
// (seq: join order, for ties). Its list `…:members` starts with the second member. Keys
// are built from the prefix here; a Redis Cluster needs the prefix's hash tag for them, as
// it does for every key of the service (KEYS[1] only routes the call to that node).
//
// ARGV: prefix, window, retention, topN, maxMembers, then per join: key, at (ms), reach,
// platform, handle, url (or empty), number of signature keys, the signature keys (exact
// first). An author's value ends with the url of their post, after a tab, when it has one.
const JOIN_SCRIPT = `
local prefix, window, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local topN, maxMembers = tonumber(ARGV[4]), tonumber(ARGV[5])
local windowMs = window * 1000
local slotTtl = window * 3

local function groupKey(leader) return prefix .. ':dup:group:' .. leader end
local function slotKey(n) return prefix .. ':dup:slot:' .. string.format('%d', n) end

local function report(leader, created, repeated)
  local fields = redis.call('HGETALL', groupKey(leader))
  local out = {leader, created, repeated, 0}
  for i = 1, #fields, 2 do
    local name, value = fields[i], fields[i + 1]
    if name == 'count' then out[4] = tonumber(value)
    elseif string.sub(name, 1, 2) == 't:' then
      out[#out + 1] = string.sub(name, 3)
      out[#out + 1] = value
    end
  end
  return out
end

local function join(key, atText, reachText, platform, handle, url, sigs)
  local at, reach = tonumber(atText), tonumber(reachText)
  local post = key
  if url ~= '' then post = key .. '\\t' .. url end
  local who = platform .. '\\t' .. handle
  local author = 't:' .. who
  local memberKey = prefix .. ':dup:of:' .. key
  local slot = math.floor(at / windowMs)
  local own = slotKey(slot)
  local lone = reachText .. '\\t1\\t' .. post
  -- Joined before: as a member (its own key says where), as a leader (its group is named
  -- after it) or alone so far (its own line in its slot).
  local existing = redis.call('GET', memberKey)
  if existing and redis.call('EXISTS', groupKey(existing)) == 1 then return report(existing, 0, 1) end
  if redis.call('EXISTS', groupKey(key)) == 1 then return report(key, 0, 1) end
  if redis.call('HEXISTS', own, 'i.' .. key) == 1 then return {key, 0, 1, 1, who, lone} end
  local found = {}
  for _, n in ipairs({slot, slot - 1, slot + 1}) do
    local values = redis.call('HMGET', slotKey(n), unpack(sigs))
    for i = 1, #sigs do
      if values[i] and not found[i] then found[i] = values[i] end
    end
  end

  -- The first group a key names whose posts are within the window of this one.
  local leader, alone, closed = nil, nil, {}
  for i = 1, #sigs do
    local candidate = found[i]
    if candidate then
      local span = redis.call('HMGET', groupKey(candidate), 'first', 'last')
      local first, last = tonumber(span[1]), tonumber(span[2])
      local line = nil
      if not first then
        -- A post alone so far keeps a line in its slot: time, author, reach and link.
        for _, n in ipairs({slot, slot - 1, slot + 1}) do
          line = line or redis.call('HGET', slotKey(n), 'i.' .. candidate)
        end
        if line then
          first = tonumber(string.match(line, '^[^\\n]*'))
          last = first
        end
      end
      if first and at <= last + windowMs and at >= first - windowMs then
        leader, alone = candidate, line
        break
      end
      -- A pointer to a group that is gone, or over for posts this late, may be taken.
      if not first or at > last + windowMs then closed[i] = true end
    else
      closed[i] = true
    end
  end

  if not leader then
    -- Alone so far: no group yet, only its line and its pointers in its slot.
    local pointers = {'i.' .. key, atText .. '\\n' .. who .. '\\n' .. lone}
    for i = 1, #sigs do
      if closed[i] then
        pointers[#pointers + 1] = sigs[i]
        pointers[#pointers + 1] = key
      end
    end
    redis.call('HSET', own, unpack(pointers))
    redis.call('EXPIRE', own, slotTtl)
    return {key, 1, 0, 1, who, lone}
  end

  local g = groupKey(leader)
  if alone then
    -- The first copy of a post alone so far: its group begins, led by that post.
    local leaderAt, leaderWho, leaderLine = string.match(alone, '^([^\\n]*)\\n([^\\n]*)\\n(.*)$')
    redis.call('HSET', g, 'count', 1, 'first', leaderAt, 'last', leaderAt, 't:' .. leaderWho, leaderLine)
  end
  local members = g .. ':members'
  local count = redis.call('HINCRBY', g, 'count', 1)
  local span = redis.call('HMGET', g, 'first', 'last')
  if at < tonumber(span[1]) then redis.call('HSET', g, 'first', atText) end
  if at > tonumber(span[2]) then redis.call('HSET', g, 'last', atText) end

  -- Top authors: each once, with their post of most reach; past topN the least reach goes
  -- (of equals, the latest to join).
  local current = redis.call('HGET', g, author)
  if current then
    if reach > tonumber(string.match(current, '^[^\\t]*')) then redis.call('HSET', g, author, reachText .. '\\t' .. count .. '\\t' .. post) end
  else
    redis.call('HSET', g, author, reachText .. '\\t' .. count .. '\\t' .. post)
    local fields = redis.call('HGETALL', g)
    local authors, lowest, lowestReach, lowestSeq = 0, nil, nil, nil
    for i = 1, #fields, 2 do
      if string.sub(fields[i], 1, 2) == 't:' then
        authors = authors + 1
        local r, s = string.match(fields[i + 1], '^([^\\t]*)\\t([^\\t]*)')
        r, s = tonumber(r), tonumber(s)
        if not lowest or r < lowestReach or (r == lowestReach and s > lowestSeq) then
          lowest, lowestReach, lowestSeq = fields[i], r, s
        end
      end
    end
    if authors > topN then redis.call('HDEL', g, lowest) end
  end

  if count == 2 then
    redis.call('RPUSH', members, leader, key)
  elseif redis.call('LLEN', members) < maxMembers then
    redis.call('RPUSH', members, key)
  end
  redis.call('EXPIRE', g, retention)
  redis.call('EXPIRE', members, retention)
  redis.call('SET', memberKey, leader, 'EX', retention)

  -- Keep open, in this post's slot, the pointers that led here, and add this member's exact text.
  local pointers = {}
  for i = 1, #sigs do
    if found[i] == leader or (i == 1 and closed[i]) then
      pointers[#pointers + 1] = sigs[i]
      pointers[#pointers + 1] = leader
    end
  end
  if #pointers > 0 then
    redis.call('HSET', own, unpack(pointers))
    redis.call('EXPIRE', own, slotTtl)
  end
  return report(leader, 0, 0)
end

local out = {}
local i = 6
while i <= #ARGV do
  local n = tonumber(ARGV[i + 6])
  local sigs = {}
  for s = 1, n do sigs[s] = ARGV[i + 6 + s] end
  out[#out + 1] = join(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], sigs)
  i = i + 7 + n
end
return out
`;

/** The script as a defined command (sent by its hash, loaded again if Redis lost it). */
interface JoinCommand {
  mtDuplicateJoin(routeKey: string, ...args: Array<string | number>): Promise<Array<Array<string | number>>>;
}

function parseAuthor(field: string, value: string): GroupAuthor & { seq: number } {
  const tab = field.indexOf('\t');
  const [reach = '0', seq = '0', key = '', url] = value.split('\t');
  return { key, handle: field.slice(tab + 1), platform: field.slice(0, tab), reach: Number(reach), seq: Number(seq), ...(url ? { url } : {}) };
}

/** Most reach first; of equals, the first to join. */
function rankAuthors(pairs: Array<[string, string]>): GroupAuthor[] {
  return pairs
    .map(([field, value]) => parseAuthor(field, value))
    .sort((a, b) => b.reach - a.reach || a.seq - b.seq)
    .map(({ seq: _, ...author }) => author);
}

export type DuplicateGroups = ReturnType<typeof createDuplicateGroups>;

/**
 * Groups of near-duplicate mentions in Redis: which group a mention joins, how many are
 * in it and who, by reach. Each mention keeps its own state in the mention store; a
 * group only says which ones share a card.
 */
export function createDuplicateGroups(redis: Redis, options: DuplicateGroupsOptions) {
  const { prefix, windowSeconds, retentionSeconds = 7 * 24 * 3600, topAuthors = 5, maxMembers = 50 } = options;
  if (!(Number.isInteger(windowSeconds) && windowSeconds > 0)) throw new RangeError(`duplicate groups: windowSeconds must be a whole number of seconds above 0, got ${windowSeconds}`);
  if (!(Number.isInteger(retentionSeconds) && retentionSeconds >= windowSeconds)) {
    throw new RangeError(`duplicate groups: retentionSeconds must be a whole number of seconds, at least windowSeconds (${windowSeconds}), got ${retentionSeconds}`);
  }
  if (!(Number.isInteger(topAuthors) && topAuthors >= 1)) throw new RangeError(`duplicate groups: topAuthors must be a whole number, at least 1, got ${topAuthors}`);
  if (!(Number.isInteger(maxMembers) && maxMembers >= 2)) throw new RangeError(`duplicate groups: maxMembers must be a whole number, at least 2, got ${maxMembers}`);
  const memberKey = (key: string) => `${prefix}:dup:of:${key}`;
  const groupKey = (leader: string) => `${prefix}:dup:group:${leader}`;
  if (!('mtDuplicateJoin' in redis)) redis.defineCommand('mtDuplicateJoin', { numberOfKeys: 1, lua: JOIN_SCRIPT });
  const commands = redis as unknown as JoinCommand;

  return {
    /**
     * Puts mentions, in order, each in the open group of any of its signature's keys, or in
     * a new group it leads, atomically and in one round trip. Joining twice (a retried job)
     * changes nothing and says so. When keys name different open groups, the exact text's
     * group wins, then the lowest band.
     */
    async joinMany(entries: ReadonlyArray<{ key: string; signature: DuplicateSignature; mention: JoiningMention }>): Promise<JoinResult[]> {
      if (entries.length === 0) return [];
      const args: Array<string | number> = [prefix, windowSeconds, retentionSeconds, topAuthors, maxMembers];
      for (const { key, signature, mention } of entries) {
        const keys = signatureKeys(signature);
        // Tabs and line breaks separate the parts of a stored line: none inside a part.
        const handle = mention.handle.replace(/[\t\n]/g, ' ');
        args.push(key, mention.at.getTime(), Math.max(0, Math.round(mention.reach)), mention.platform, handle, (mention.url ?? '').replace(/\s+/g, ''), keys.length, ...keys);
      }
      const replies = await commands.mtDuplicateJoin(memberKey(entries[0]!.key), ...args);
      return replies.map(([leader, created, repeated, count, ...flat]) => {
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([String(flat[i]), String(flat[i + 1])]);
        return { leader: String(leader), created: created === 1, repeated: repeated === 1, count: Number(count), top: rankAuthors(pairs) };
      });
    },

    /** One mention's join; see {@link joinMany}. */
    async join(key: string, signature: DuplicateSignature, mention: JoiningMention): Promise<JoinResult> {
      return (await this.joinMany([{ key, signature, mention }]))[0]!;
    },

    /** A group by its leader's key; `undefined` once forgotten (or for a mention that leads none). */
    async group(leader: string): Promise<DuplicateGroup | undefined> {
      const [[, fields], [, members]] = (await redis.multi().hgetall(groupKey(leader)).lrange(`${groupKey(leader)}:members`, 0, -1).exec()) as [
        [unknown, Record<string, string>],
        [unknown, string[]],
      ];
      if (!fields.count) return undefined;
      const authors = Object.entries(fields).filter(([name]) => name.startsWith('t:')).map(([name, value]): [string, string] => [name.slice(2), value]);
      return {
        leader,
        count: Number(fields.count),
        firstAt: new Date(Number(fields.first)).toISOString(),
        lastAt: new Date(Number(fields.last)).toISOString(),
        top: rankAuthors(authors),
        members: members.length > 0 ? members : [leader],
      };
    },

    /**
     * The leader of the group a mention is in: itself for a leader while its group is
     * kept, for a member the retention from when it joined; none for a post alone so far.
     */
    async leaderOf(key: string): Promise<string | undefined> {
      const [[, leader], [, leads]] = (await redis.multi().get(memberKey(key)).exists(groupKey(key)).exec()) as [[unknown, string | null], [unknown, number]];
      return leader ?? (leads === 1 ? key : undefined);
    },
  };
}
