import type { Classification } from './classification.js';
import type { Mention } from './mention.js';

/** Where a mention goes and why: the routing decision with the rule that fired. */
export interface Route {
  /** Channel key from config (`support`, `leads`, `marketing`...), not a Discord id. */
  channel: string;
  /** Name of the rule that fired, or `default` when none did. */
  rule: string;
  /** 0 is most urgent; the notify queue posts lower numbers first. */
  priority: number;
  /** Extra channel keys that also receive the card (e.g. `marketing` for happy mentions). */
  alsoTo: string[];
  /** Minutes within which the mention should be claimed, from the SLA config. */
  claimWithinMinutes: number;
}

/** A draft for a human to edit and send, never posted automatically. */
export interface SuggestedReply {
  text: string;
  /** Id of the template it was drawn from, e.g. `billing.angry#2`. */
  template: string;
}

/** Everything the triage pass decides about one mention. */
export interface TriageResult {
  mention: Mention;
  classification: Classification;
  /** Estimated audience: followers, for now. */
  reach: number;
  route: Route;
  reply: SuggestedReply;
}
