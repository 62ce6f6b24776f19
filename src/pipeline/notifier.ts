import type { CardMessage } from '../discord/card.js';
import type { CardRef } from '../store/mention-store.js';

/** Where cards go: Discord in production, the terminal in the demo. */
export interface Notifier {
  /** Whether cards for this channel key can be posted (a channel may be left unconfigured). */
  accepts(channelKey: string): boolean;
  /** Posts a new card; `nonce` lets the platform drop a retried duplicate. */
  post(channelKey: string, card: CardMessage, nonce: string): Promise<CardRef>;
  /** Replaces an existing card's content (state changes). */
  edit(ref: CardRef, card: CardMessage): Promise<void>;
}
