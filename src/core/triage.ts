import type { BrandTerms } from './classification.js';
import { classify } from './classify.js';
import { cleanText } from './display-text.js';
import type { Mention } from './mention.js';
import { route, type RoutingPolicy, type SlaPolicy } from './route.js';
import { suggestReply, type ReplyTemplates, type SupportContact } from './suggest-reply.js';
import type { TriageResult } from './triage-result.js';

/** Everything the triage pass needs from the leads' configuration. */
export interface TriagePolicy {
  brand: BrandTerms & { name: string; support?: SupportContact };
  routing: RoutingPolicy;
  sla: SlaPolicy;
  templates: ReplyTemplates;
}

/** The audience a mention may reach: its author's followers, for now. */
export function reachOf(mention: Mention): number {
  return mention.author.followers;
}

/** The brand does not answer itself: its own posts get no draft. */
const OWN_POST_REPLY = { text: 'No reply needed: this is a post from one of our own accounts.', template: 'own-post' } as const;

/**
 * Whether one of the brand's own accounts wrote the mention: its handle is one of the
 * brand's handles, compared whole (a Mastodon handle with its instance), so an
 * impersonator on another instance is not taken for the brand.
 */
export function isFromBrand(mention: Mention, brand: BrandTerms): boolean {
  const handle = mention.author.handle.toLowerCase();
  return brand.handles.some((h) => h.toLowerCase().replace(/^@/, '') === handle);
}

/**
 * The whole triage pass for one mention, pure: clean the text, judge mood and topic,
 * route it, draft a reply. Classification and routing read the cleaned text; the card
 * shows the original (made safe at display time).
 */
export function triage(mention: Mention, policy: TriagePolicy): TriageResult {
  const text = cleanText(mention.text);
  const classification = classify(text, policy.brand);
  const reach = reachOf(mention);
  const fromBrand = isFromBrand(mention, policy.brand);
  return {
    mention,
    classification,
    reach,
    route: route({ mention: { ...mention, text }, classification, reach, fromBrand }, policy.routing, policy.sla),
    reply: fromBrand ? OWN_POST_REPLY : suggestReply({ mention, classification }, policy.templates, policy.brand),
  };
}
