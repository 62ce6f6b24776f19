import type { Classification } from './classification.js';
import type { Mention } from './mention.js';

/** Where a mention goes and why: the routing decision with the rule that fired. */
export interface Route {
  /** Channel key from config (`support`, `leads`, `marketing`...), not a Discord id. */
  channel: string;
  /** Name of the first rule that fired, or `default` when none did. */
  rule: string;
  /**
   * Every rule that fired, in order (more than one when rules `continue`). Absent on
   * mentions triaged by versions without it.
   */
  rules?: string[];
  /** 0 is most urgent; the notify queue posts lower numbers first. */
  priority: number;
  /** Extra channel keys that also receive the card (e.g. `marketing` for happy mentions). */
  alsoTo: string[];
  /** Minutes within which the mention should be claimed, from the SLA config or a rule. */
  claimWithinMinutes: number;
  /** Minutes within which the mention should be resolved, from the SLA config or a rule. Absent on mentions triaged by versions without it. */
  resolveWithinMinutes?: number;
  /** Labels the rules put on the card (`security`, `vip`...). Absent on mentions triaged by versions without them. */
  tags?: string[];
  /** Discord role pinged when the card is posted. */
  pingRoleId?: string;
  /** Set when a rule says no card: the mention is recorded and listed by `suppressed`, never posted. */
  suppressed?: { reason: string; rule: string };
}

/** A draft for a human to edit and send, never posted automatically. */
export interface SuggestedReply {
  text: string;
  /** Id of the template it was drawn from, e.g. `billing.angry#2`. */
  template: string;
  /** The mention's language (ISO 639-1) when no template speaks it: the draft is English, the reply should be in this language. */
  replyIn?: string;
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
