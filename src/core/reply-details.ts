/**
 * What the customer already told us, read from the mention's text, so a draft speaks to
 * it ("the $49.99 charged twice", "the reprint button") and asks only for what is missing
 * (no order number for an account or app question, no amount when they gave it). Pure.
 */
import type { Intent } from './classification.js';

/** The details a reply can speak to. */
export interface MentionDetails {
  /** An amount of money as written (`$49.99`, `12,50 €`). */
  amount?: string;
  /** How often it was charged, when more than once (`twice`, `3 times`). */
  repeated?: string;
  /** An order, booking or tracking number as written (`#48213`). */
  orderNumber?: string;
  /** The feature, page or part of the product named (`the reprint button`, `dark mode`). */
  feature?: string;
  /** What the mention is about: something ordered, an account or the product itself. */
  about: 'order' | 'account' | 'product' | 'other';
}

const AMOUNT = /(?:[$€£¥₹]\s?\d[\d,]*(?:\.\d{1,2})?|\d[\d.,]*\s?(?:€|£|\$|USD|EUR|GBP|CAD|AUD|dollars|euros|pounds)(?![\p{L}]))/iu;
const REPEATED = /(?<![\p{L}])(twice|two times|three times|\d+ times|double[- ]charged|charged (?:me )?double|two (?:[^\s.!?]+ ){0,3}?(?:charges|payments))(?![\p{L}])/iu;
const ORDER_NUMBER = /(?:#\s?(?=[A-Z0-9-]*\d)[A-Z0-9-]{4,}|(?<![\p{L}])(?:order|booking|reservation|ticket|case|tracking|reference|ref)(?: (?:no\.?|number|id|#))?:? ?([A-Z]{0,4}\d[A-Z0-9-]{3,}))/iu;
const ORDER_WORDS = /(?<![\p{L}])(?:orders?|parcels?|packages?|deliver(?:y|ies|ed)|shipments?|booking|reservation|flight)(?![\p{L}])/iu;
// Words that name an order only when nothing names an account or the product ("an API for label purchase").
const MAYBE_ORDER_WORDS = /(?<![\p{L}])(?:tracking|refund|return|item|purchase|bought)(?![\p{L}])/iu;
const ACCOUNT_WORDS = /(?<![\p{L}])(?:account|log ?in|logged|sign ?in|password|subscription|plan|profile|user|seat|invoice|charged?|billing|card)(?![\p{L}])/iu;
const PRODUCT_WORDS = /(?<![\p{L}])(?:app|dashboard|button|page|feature|setting|screen|api|integration|sync|export|import|mode|menu|tool|builder|editor|website|site)s?(?![\p{L}])/iu;

// Parts of a product people name, across industries: "the reprint button", "the customs form builder".
const FEATURE_HEADS = 'button|page|feature|tab|settings?|option|tool|builder|form|screen|dashboard|integration|sync|export|import|report|app|api|checkout|search|filter|mode|menu|field|editor|widget|portal|tracker|tracking page|calculator|planner|scanner|reader|statement|transfer|booking page|webhooks?';
const NAMED_FEATURE = new RegExp(`(?<![\\p{L}])(?:the|your|my|our) ((?:new |old )?(?:[\\p{L}-]+ ){0,2}(?:${FEATURE_HEADS}))(?![\\p{L}])`, 'iu');
// A quoted name the customer gives a part of the product: `the "Mark as shipped" bulk action`.
const QUOTED = /(?<![\p{L}])the ["“]([^"”\n]{3,40})["”]/iu;
const FAILING = /(?:^|[.!?]\s)((?:the |my |our |your )?(?:[\p{Ll}-]+ ){0,2}[\p{Ll}-]+) (?:is|are|has been|have been|keeps|stopped|isn't|aren't|won't|doesn't|don't)(?: \p{L}+)? (?:broken|down|working|failing|loading|crashing|syncing|showing up)/u;
const NOT_A_FEATURE = /^(?:it|this|that|everything|nothing|something|anything|he|she|they|we|i|you|which|what)$/i;
const WISH = /(?<![\p{L}])(?:please (?:add|let (?:me|us)|support|bring( back)?)|can you (?:add|support)|(?:would|i'?d) love|wish (?:you|it|there) (?:had|was|were)|give us|need) (?:an? |the |some )?([^.,!?\n]{3,40}?)(?=[.,!?\n]|\s+(?:pls|please|per|so|for|because|thanks)\b|$)/iu;
const PLS = /(?<![\p{L}@.])([\p{L}][\p{L}-]*(?: [\p{L}-]+){0,2}) (?:pls|plz)(?![\p{L}])/iu;
const DETERMINER = /^(?:the|a|an|my|your|our|this|that|it|me|us)\s/i;

/** Reads the details of `text`; the brand's own names are never taken for a feature. */
export function readDetails(text: string, brandNames: readonly string[] = []): MentionDetails {
  const clean = text.replace(/\s+/g, ' ');
  const details: MentionDetails = { about: subjectOf(clean) };
  const amount = AMOUNT.exec(clean)?.[0];
  if (amount) details.amount = amount.trim();
  const repeated = REPEATED.exec(clean)?.[1];
  if (repeated) details.repeated = /^two .*(?:charges|payments)$|double/i.test(repeated) ? 'twice' : repeated.toLowerCase();
  const order = ORDER_NUMBER.exec(clean);
  if (order) details.orderNumber = (order[1] ?? order[0]).replace(/\s/g, '');
  const feature = featureOf(clean, brandNames);
  if (feature) details.feature = feature;
  return details;
}

function subjectOf(text: string): MentionDetails['about'] {
  if (ORDER_WORDS.test(text)) return 'order';
  if (ACCOUNT_WORDS.test(text)) return 'account';
  if (PRODUCT_WORDS.test(text)) return 'product';
  return MAYBE_ORDER_WORDS.test(text) ? 'order' : 'other';
}

function featureOf(text: string, brandNames: readonly string[]): string | undefined {
  const isBrand = (s: string) => brandNames.some((b) => s.toLowerCase().includes(b.toLowerCase()));
  const quoted = QUOTED.exec(text)?.[1]?.trim();
  // A quoted name, not a quoted sentence: a few words, no sentence inside.
  if (quoted && quoted.split(' ').length <= 5 && !/[.!?]/.test(quoted) && !isBrand(quoted)) return `“${quoted}”`;
  const failing = FAILING.exec(text)?.[1]?.replace(/^(?:my|our|your) /, 'the ');
  if (failing && !NOT_A_FEATURE.test(failing.replace(/^the /, '')) && !isBrand(failing)) return failing;
  const wish = (WISH.exec(text)?.[2] ?? PLS.exec(text)?.[1])?.trim().replace(DETERMINER, '');
  if (wish && !isBrand(wish) && wish.split(' ').length <= 6) return wish;
  const named = NAMED_FEATURE.exec(text)?.[1];
  if (named && !isBrand(named)) return `the ${named}`;
  return undefined;
}

/**
 * What `{detail}` says: the detail the customer gave (the amount and how often it was
 * charged on a bill, the feature named, the order number), else `fallback` (the topic).
 */
export function detailPhrase(details: MentionDetails, intent: Intent, fallback: string): string {
  if (intent === 'billing' && details.amount) return details.repeated ? `the ${details.amount} charged ${details.repeated}` : `the ${details.amount} charge`;
  if (details.feature && intent !== 'billing') return details.feature;
  if (details.orderNumber && intent !== 'feature-request') return `order ${details.orderNumber.startsWith('#') ? '' : '#'}${details.orderNumber}`;
  return fallback;
}

/**
 * What `{ask}` says after `{dm}`: "with …" what the team still needs for this topic, or
 * nothing when the mention already gave it or nothing private is needed (a how-to).
 */
export function askPhrase(details: MentionDetails, intent: Intent): string {
  switch (intent) {
    case 'billing':
      return details.amount ? 'with the email on your account' : 'with the email on your account and the date of the charge';
    case 'bug':
      return 'with the steps that lead to it and a screenshot if you have one';
    case 'outage':
    case 'complaint':
    case 'question':
      if (details.about === 'order') return details.orderNumber ? '' : 'with the order number';
      if (details.about === 'account') return intent === 'question' ? '' : 'with the email on your account';
      return intent === 'question' ? '' : 'with a few details';
    default:
      return '';
  }
}
