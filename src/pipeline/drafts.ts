/**
 * Drafts on demand. The triage stage records a mention's triage without its suggested
 * reply (see `judge` in core/triage.ts): most mentions of a busy hour never get a card of
 * their own (near duplicates, digests, suppressed), and a draft made when the card is
 * posted speaks to the incident in force then. Every state read through this store has
 * its draft: the recorded one, else one made from the policy now; the card's posting
 * stores it with the compact triage, so a posted card keeps the draft it showed.
 */
import { withDraft, type DraftPolicy as Policy, type UndraftedTriage } from '../core/draft-reply.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';

/** The policy drafts are made under: the templates, the brand and the incident now. */
export type DraftPolicy = () => Promise<Policy>;

/** A recorded state with its draft (one made now when the triage was recorded without). */
export async function drafted(state: MentionState, policy: DraftPolicy): Promise<MentionState> {
  const triage = state.triage as UndraftedTriage;
  if (triage.reply) return state;
  return { ...state, triage: withDraft(triage, await policy()) };
}

/** The store, with every state it reads drafted (see the module comment). */
export function withDrafts<S extends Pick<MentionStore, 'get' | 'unclaimed' | 'heldBy'>>(store: S, policy: DraftPolicy): S {
  const each = (states: MentionState[]) => Promise.all(states.map((s) => drafted(s, policy)));
  return {
    ...store,
    async get(key) {
      const state = await store.get(key);
      return state && drafted(state, policy);
    },
    async unclaimed(limit) {
      return each(await store.unclaimed(limit));
    },
    async heldBy(userId, limit) {
      return each(await store.heldBy(userId, limit));
    },
  };
}
