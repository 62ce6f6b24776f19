/**
 * The suggested reply of a judged mention, apart from judging it: the pipeline drafts
 * when a card is about to show the draft, and the roles that only draft (notify, the bot)
 * never load the classifier for it. Pure.
 */
import type { BrandTerms } from './classification.js';
import type { Mention } from './mention.js';
import { isBrandHandle } from './spam.js';
import { suggestReply } from './suggest-reply.js';
import type { SuggestedReply, TriageResult } from './triage-result.js';
import type { TriagePolicy } from './triage.js';

/** What a draft is made under: the templates, the brand and the incident in force. */
export type DraftPolicy = Pick<TriagePolicy, 'brand' | 'templates' | 'incident'>;

/** A triage without its draft: what the pipeline's triage stage records (the draft is made when a card needs it). */
export type UndraftedTriage = Omit<TriageResult, 'reply'> & { reply?: SuggestedReply };

/** The brand does not answer itself: its own posts get no draft. */
const OWN_POST_REPLY = { text: 'No reply needed: this is a post from one of our own accounts.', template: 'own-post' } as const;

/** Spam gets no draft: answering it only lends it reach. */
const SPAM_REPLY = { text: 'No reply: spam.', template: 'spam' } as const;

/**
 * Whether one of the brand's own accounts wrote the mention: its handle is one of the
 * brand's handles, compared whole (a Mastodon handle with its instance), so an
 * impersonator on another instance is not taken for the brand.
 */
export function isFromBrand(mention: Mention, brand: BrandTerms): boolean {
  return isBrandHandle(mention.author.handle, brand);
}

/** The draft for a judged mention under `policy`: a note instead for the brand's own posts and for spam. */
export function draftReply(judged: Pick<TriageResult, 'mention' | 'classification'>, policy: DraftPolicy): SuggestedReply {
  const { mention, classification } = judged;
  if (isFromBrand(mention, policy.brand)) return OWN_POST_REPLY;
  if (classification.intent === 'spam') return SPAM_REPLY;
  return suggestReply({ mention, classification, ...(policy.incident ? { incident: policy.incident } : {}) }, policy.templates, policy.brand);
}

/** A recorded triage with its draft: the one it has, else one made now under `policy`. */
export function withDraft(result: UndraftedTriage, policy: DraftPolicy): TriageResult {
  return result.reply ? (result as TriageResult) : { ...result, reply: draftReply(result, policy) };
}

/**
 * The draft made again under the policy as it is now: the incident may have been set or
 * resolved since the mention was triaged, and a reply opened then should say so. The
 * brand's own posts keep their note.
 */
export function redraft(result: Pick<UndraftedTriage, 'mention' | 'classification' | 'reply'>, policy: DraftPolicy): SuggestedReply {
  if (isFromBrand(result.mention, policy.brand)) return result.reply ?? OWN_POST_REPLY;
  const { mention, classification } = result;
  return suggestReply({ mention, classification, ...(policy.incident ? { incident: policy.incident } : {}) }, policy.templates, policy.brand);
}
