import type { BrandTerms } from './classification.js';
import { classify } from './classify.js';
import { cleanText } from './display-text.js';
import type { Incident } from './incident.js';
import { predict, withModel, type LearnedModel, type ModelPolicy } from './learned-model.js';
import type { Mention } from './mention.js';
import { draftReply, isFromBrand } from './draft-reply.js';
import { route, type RoutingPolicy, type SlaPolicy } from './route.js';
import type { ReplyTemplates, SupportContact } from './suggest-reply.js';
import type { TriageResult } from './triage-result.js';

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

/**
 * The judging part of the triage pass, pure: clean the text, judge mood and topic, route
 * it. No draft: {@link draftReply} makes it, when a card is about to show it (most
 * mentions of a spike never get a card of their own: near duplicates, digests, suppressed).
 * Classification and routing read the cleaned text; the card shows the original (made
 * safe at display time).
 */
export function judge(mention: Mention, policy: Omit<TriagePolicy, 'templates' | 'incident'>, context: TriageContext = {}): Omit<TriageResult, 'reply'> {
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
  };
}

/**
 * The whole triage pass for one mention, pure: {@link judge} it, then {@link draftReply}.
 */
export function triage(mention: Mention, policy: TriagePolicy, context: TriageContext = {}): TriageResult {
  const judged = judge(mention, policy, context);
  return { ...judged, reply: draftReply(judged, policy) };
}

export { draftReply, isFromBrand, redraft, withDraft, type UndraftedTriage } from './draft-reply.js';
