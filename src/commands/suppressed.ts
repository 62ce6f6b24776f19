import { connectRedis } from '../infra/redis-connect.js';
import { createSuppressedStore } from '../store/suppressed-store.js';
import { writeLine } from './io.js';

export interface SuppressedOptions {
  redisUrl: string;
  prefix: string;
  since: Date;
  limit: number;
  json: boolean;
  output: NodeJS.WritableStream;
  /** Where the summary line goes. */
  summary: NodeJS.WritableStream;
}

/**
 * `suppressed`: the mentions routing rules kept off Discord since `since`, newest first,
 * with the rule and reason; then how many there were and the count per rule.
 * @returns how many were suppressed since `since` (among those kept)
 */
export async function listSuppressed(options: SuppressedOptions): Promise<number> {
  const redis = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, options.prefix);
  try {
    const store = createSuppressedStore(redis, { prefix: options.prefix });
    const [entries, total, byRule] = await Promise.all([store.list(options.since, options.limit), store.countSince(options.since), store.countsByRule()]);
    for (const entry of entries) {
      const line = options.json
        ? JSON.stringify(entry)
        : `${entry.at.slice(0, 16).replace('T', ' ')}  ${entry.rule}: ${entry.reason}  ${entry.key} @${entry.handle}  "${entry.text.replace(/\s+/g, ' ').slice(0, 100)}"`;
      await writeLine(options.output, line);
    }
    const rules = Object.entries(byRule).map(([rule, n]) => `${rule} ${n}`).join(', ');
    await writeLine(options.summary, `${total} suppressed since ${options.since.toISOString()}${total > entries.length ? ` (newest ${entries.length} shown)` : ''}; all time by rule: ${rules || 'none'}`);
    return total;
  } finally {
    await redis.quit();
  }
}
