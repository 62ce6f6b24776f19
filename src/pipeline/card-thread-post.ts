/**
 * Where notices about a posted card go: into the card's thread when the notifier has
 * threads, else under the card in its channel. The channel stays a list of cards.
 */
import { threadName } from '../core/thread-name.js';
import type { TriageResult } from '../core/triage-result.js';
import type { CardRef } from '../store/mention-store.js';
import type { Notice, Notifier } from './notifier.js';

/** The name a card's thread is opened under: the author and the start of the mention, safe to show. */
export function cardThreadName(state: { key: string; triage: Pick<TriageResult, 'mention'> }): string {
  const { mention } = state.triage;
  return threadName(`@${mention.author.handle}`, mention.text, state.key);
}

/**
 * Posts `notice` about `card` in the card's thread (opening it when needed), or under the
 * card in its channel when the notifier has no threads. `nonce` de-duplicates a retry.
 */
export function postUnderCard(
  notifier: Pick<Notifier, 'post' | 'postInThread'>,
  card: CardRef,
  state: { key: string; triage: Pick<TriageResult, 'mention'> },
  notice: Notice,
  nonce: string,
): Promise<CardRef> {
  return notifier.postInThread ? notifier.postInThread(card, notice, nonce, cardThreadName(state)) : notifier.post(card.channelKey, notice, nonce);
}
