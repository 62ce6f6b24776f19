/**
 * Discord snowflakes: `(ms since 2015-01-01) << 22 | worker << 17 | process << 12 | increment`.
 * Real-format ids matter: `@discordjs/rest` groups rate-limit buckets by `\d{17,19}`, and
 * discord.js derives `createdAt` from the id.
 */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** Produces unique, increasing snowflakes (18–19 digits for any date after 2015-06). */
export type SnowflakeGenerator = () => string;

/** Creates a generator; ids are unique within the generator and increase with time. */
export function createSnowflakeGenerator(workerId = 1, now: () => number = Date.now): SnowflakeGenerator {
  let increment = 0n;
  let lastMs = 0n;
  return () => {
    // Never go backwards, even if the clock does, so ids stay ordered.
    let ms = BigInt(now()) - DISCORD_EPOCH;
    if (ms < lastMs) ms = lastMs;
    if (ms === lastMs) increment = (increment + 1n) & 0xfffn;
    else increment = 0n;
    if (ms === lastMs && increment === 0n) ms += 1n;
    lastMs = ms;
    return ((ms << 22n) | (BigInt(workerId & 31) << 17n) | (1n << 12n) | increment).toString();
  };
}

/** The creation time encoded in a snowflake, in epoch milliseconds. */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
