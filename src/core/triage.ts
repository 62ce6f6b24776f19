import type { BrandTerms } from './classification.js';
import { classify } from './classify.js';
import { cleanText } from './display-text.js';
import type { Incident } from './incident.js';
import { predict, withModel, type LearnedModel, type ModelPolicy } from './learned-model.js';
import type { Mention } from './mention.js';
import { isBrandHandle } from './spam.js';
import { route, type RoutingPolicy, type SlaPolicy } from './route.js';
import { suggestReply, type ReplyTemplates, type SupportContact } from './suggest-reply.js';
import type { SuggestedReply, TriageResult } from './triage-result.js';

/** Everything the triage pass needs from the leads' configuration. */
export interface TriagePolicy {
  brand: BrandTerms & { name: string; support?: SupportContact };
  routing: RoutingPolicy;
  sla: SlaPolicy;
  templates: ReplyTemplates;
  /** The incident the leads set (`/triage incident`), read fresh for each batch: outage drafts speak to it. */
  incident?: Incident;
  /** The word model learned from the team's corrections, with when it applies (see learned-model.ts); absent before one is trained. */
  model?: { model: LearnedModel; policy: ModelPolicy };
}

/** The audience a mention may reach: its author's followers, for now. */
export function reachOf(mention: Mention): number {
  return mention.author.followers;
}

/** What the pass may know beyond the mention and the config, read by the pipeline from the store. */
export interface TriageContext {
  /** The author has had a mention carded before (a returning author); unknown when absent. */
  authorSeenBefore?: boolean;
}

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

/**
 * The whole triage pass for one mention, pure: clean the text, judge mood and topic,
 * route it, draft a reply. Classification and routing read the cleaned text; the card
 * shows the original (made safe at display time).
 */
export function triage(mention: Mention, policy: TriagePolicy, context: TriageContext = {}): TriageResult {
  const text = cleanText(mention.text);
  const rules = classify(text, policy.brand, { source: mention.source, author: mention.author });
  const learned = policy.model;
  const classification = learned ? withModel(rules, predict(learned.model, text, policy.brand), learned.model.labels, learned.policy) : rules;
  const reach = reachOf(mention);
  const fromBrand = isFromBrand(mention, policy.brand);
  return {
    mention,
    classification,
    reach,
    route: route({ mention: { ...mention, text }, classification, reach, fromBrand, ...(context.authorSeenBefore !== undefined ? { authorSeenBefore: context.authorSeenBefore } : {}) }, policy.routing, policy.sla),
    reply: fromBrand ? OWN_POST_REPLY : classification.intent === 'spam' ? SPAM_REPLY : suggestReply({ mention, classification, ...(policy.incident ? { incident: policy.incident } : {}) }, policy.templates, policy.brand),
  };
}

/**
 * The draft made again under the policy as it is now: the incident may have been set or
 * resolved since the mention was triaged, and a reply opened then should say so. The
 * brand's own posts keep their note.
 */
export function redraft(result: Pick<TriageResult, 'mention' | 'classification' | 'reply'>, policy: TriagePolicy): SuggestedReply {
  if (isFromBrand(result.mention, policy.brand)) return result.reply;
  const { mention, classification } = result;
  return suggestReply({ mention, classification, ...(policy.incident ? { incident: policy.incident } : {}) }, policy.templates, policy.brand);
}
