import type { Logger } from 'pino';
import { summariseAuthor } from '../core/author-history.js';
import type { AuthorIndex } from '../store/author-index.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import type { SlaTimers } from './sla-worker.js';

/** Earlier mentions read for an author's summary (the count covers them all). */
const EARLIER_READ = 20;

export interface CardPreparationDeps {
  store: Pick<MentionStore, 'get' | 'setAuthorHistory'>;
  /** Starts the SLA timers; absent: no timers. */
  timers?: Pick<SlaTimers, 'ensure'>;
  /** The authors' earlier mentions; absent: no author history on the card. */
  authors?: AuthorIndex;
  log: Logger;
  now?: () => Date;
}

/**
 * Completes a mention's state before its first card is posted: its SLA timers and the due
 * time they show, and its author's history (recorded on the state, so every later render
 * of the card shows the same). A failure here never holds the card back.
 */
export function createCardPreparation(deps: CardPreparationDeps) {
  const { store, timers, authors, log, now = () => new Date() } = deps;

  async function withAuthor(state: MentionState): Promise<MentionState> {
    if (!authors || state.author) return state;
    const { mention } = state.triage;
    const at = now();
    await authors.record(state.key, mention, at);
    const { count, keys } = await authors.earlier(state.key, mention, at, EARLIER_READ);
    const earlier = (await Promise.all(keys.map((k) => store.get(k)))).filter((s): s is MentionState => s !== undefined);
    const author = summariseAuthor(
      count,
      earlier.map((s) => ({
        key: s.key,
        status: s.status,
        createdAt: s.triage.mention.createdAt,
        polarity: s.triage.classification.polarity,
        flags: s.triage.classification.flags,
        ...(s.cards[0] ? { channelKey: (s.cards.find((c) => c.channelKey === s.triage.route.channel) ?? s.cards[0]).channelKey } : {}),
      })),
    );
    await store.setAuthorHistory(state.key, author);
    return { ...state, author };
  }

  return async function prepare(state: MentionState): Promise<MentionState> {
    let prepared = state;
    try {
      if (timers) prepared = await timers.ensure(prepared);
    } catch (error) {
      log.error({ key: state.key, err: (error as Error).message }, 'could not set the SLA timers');
    }
    try {
      prepared = await withAuthor(prepared);
    } catch (error) {
      log.warn({ key: state.key, err: (error as Error).message }, "could not read the author's earlier mentions");
    }
    return prepared;
  };
}
