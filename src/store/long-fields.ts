/**
 * Long values in a hash, kept in pieces small enough for Redis's compact hash encoding.
 *
 * Redis keeps a small hash as a listpack (a few bytes per field) only while every value is
 * at most `hash-max-listpack-value` bytes (64 by default); one longer value turns the
 * whole hash into a hash table for good, at about 70 bytes more per field. A mention's
 * state is a hash of short fields and a few long ones (its triage, the last action, a
 * sent reply), so each long value is written as pieces of 64 bytes: `name` holds the
 * first, `name.1`, `name.2`… the rest, in order. A value of 64 bytes or less is one plain
 * field, as before, and so is a long value written by an earlier version (no pieces):
 * readers join whatever pieces there are.
 */

/** Bytes per piece: Redis's default `hash-max-listpack-value`. */
export const PIECE_BYTES = 64;

/**
 * Lua helpers for scripts that write or read long fields of a hash: `setLong(key, name,
 * value, fresh)` writes the pieces and drops any left from a longer value (none to look
 * for when `fresh`: a hash just made), `delLong(key, name)`
 * drops them all, `getLong(key, name)` joins them (nil when there is no such field).
 * Prepend to a script's source.
 */
export const LONG_FIELDS_LUA = `
local function setLong(key, name, value, fresh)
  local size = ${PIECE_BYTES}
  local count = math.max(1, math.ceil(#value / size))
  local args = {}
  for i = 0, count - 1 do
    local field = name
    if i > 0 then field = name .. '.' .. i end
    args[#args + 1] = field
    args[#args + 1] = string.sub(value, i * size + 1, (i + 1) * size)
  end
  redis.call('HSET', key, unpack(args))
  if fresh then return end
  local i = count
  while redis.call('HDEL', key, name .. '.' .. i) == 1 do i = i + 1 end
end
local function delLong(key, name)
  redis.call('HDEL', key, name)
  local i = 1
  while redis.call('HDEL', key, name .. '.' .. i) == 1 do i = i + 1 end
end
local function getLong(key, name)
  local first = redis.call('HGET', key, name)
  if not first then return nil end
  local parts = {first}
  local i = 1
  while true do
    local part = redis.call('HGET', key, name .. '.' .. i)
    if not part then break end
    parts[#parts + 1] = part
    i = i + 1
  end
  return table.concat(parts)
end
`;

/** Whether a field name is a piece of a long value (`name.1`…) rather than a field of its own. */
export function isPieceField(field: string): boolean {
  return /\.[1-9][0-9]*$/.test(field);
}

/** A long field of a hash read whole (HGETALL), its pieces joined; undefined when absent. */
export function joinLong(raw: Readonly<Record<string, Buffer>>, name: string): Buffer | undefined {
  const first = raw[name];
  if (first === undefined) return undefined;
  const parts = [first];
  for (let i = 1; raw[`${name}.${i}`] !== undefined; i++) parts.push(raw[`${name}.${i}`]!);
  return parts.length === 1 ? first : Buffer.concat(parts);
}
