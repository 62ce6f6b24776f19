import type { Notifier } from '../pipeline/notifier.js';
import { renderNotice } from './card.js';
import { marketingDigestText } from './marketing-digest-card.js';
import { formatCardForTerminal } from './terminal-card.js';

/**
 * Renders cards in a terminal instead of posting them: the demo, and any run without a
 * Discord token. Every channel key is accepted; message ids are local counters.
 */
export function createTerminalNotifier(out: NodeJS.WritableStream & { isTTY?: boolean }, options: { color?: boolean } = {}): Notifier {
  const color = options.color ?? Boolean(out.isTTY);
  let printed = 0;
  return {
    accepts: () => true,
    async post(channelKey, notice) {
      printed += 1;
      out.write(`${formatCardForTerminal(renderNotice(notice), channelKey, { color })}\n\n`);
      return { channelKey, channelId: `terminal-${channelKey}`, messageId: String(printed) };
    },
    async postStack(channelKey, states) {
      printed += 1;
      for (const state of states) out.write(`${formatCardForTerminal(renderNotice({ kind: 'card', state }), channelKey, { color })}\n\n`);
      return { channelKey, channelId: `terminal-${channelKey}`, messageId: String(printed) };
    },
    async edit() {
      // A terminal card is printed once; its later states are shown by the next print, if any.
    },
    async postMarketingDigest(channelKey, digest) {
      printed += 1;
      out.write(`${marketingDigestText(digest)}\n\n`);
      return { channelKey, channelId: `terminal-${channelKey}`, messageId: String(printed) };
    },
    // A print is never lost on its way, so there is nothing to reconcile with.
    findCard: async () => undefined,
  };
}
