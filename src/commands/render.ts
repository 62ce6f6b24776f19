import { mentionKey } from '../core/mention-key.js';
import { parseMentionLine } from '../core/parse-mention.js';
import { triage, type TriagePolicy } from '../core/triage.js';
import { renderCard } from '../discord/card.js';
import { cardRequestBody } from '../discord/discord-notifier.js';
import { readLines } from '../sources/json-lines.js';
import { writeLine } from './io.js';

export interface RenderStreamOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
  policy: TriagePolicy;
  /** Channel key → Discord channel id, to show the request path. */
  channels: Record<string, string | null | undefined>;
}

/**
 * `render`: mention JSON lines in; per mention, the exact request the bot would send for
 * its card in each channel it is routed to (`method`, `path`, `body`). A dry run for
 * leads and the contract the tests check.
 * @returns the number of malformed lines
 */
export async function renderStream(options: RenderStreamOptions): Promise<number> {
  const { input, output, errors, policy, channels } = options;
  let malformed = 0;
  for await (const { lineNo, line } of readLines(input)) {
    const parsed = parseMentionLine(line);
    if (!parsed.ok) {
      malformed += 1;
      await writeLine(errors, `line ${lineNo}: ${parsed.reason}`);
      await writeLine(output, JSON.stringify({ line: lineNo, error: parsed.reason }));
      continue;
    }
    const key = mentionKey(parsed.mention);
    const result = triage(parsed.mention, policy);
    const card = renderCard({ key, status: 'new', triage: result });
    const requests = [result.route.channel, ...result.route.alsoTo].map((channelKey) => ({
      channel: channelKey,
      method: 'POST',
      path: `/channels/${channels[channelKey] || `{${channelKey}}`}/messages`,
      body: cardRequestBody(card, `${key}/${channelKey}`),
    }));
    await writeLine(output, JSON.stringify({ key, requests }));
  }
  return malformed;
}
