/**
 * Who may do what on a card, from the Discord roles the leads configured. Pure: the
 * Discord handler passes the clicker's role ids and words the refusal it gets back.
 */
import type { CardAction } from './card-actions.js';

/** Discord role ids of the team (`discord.roles`). An empty list restricts nobody. */
export interface TeamRoles {
  /** May claim, reply, resolve, escalate, dismiss and release their own claim. */
  members: readonly string[];
  /** May also take over, reassign, reopen and release anyone's claim. */
  leads: readonly string[];
}

/** Where someone stands on the team: a lead is a member too. */
export type Standing = 'lead' | 'member' | 'outsider';

/** Actions only a lead may take. */
const LEAD_ACTIONS: ReadonlySet<CardAction> = new Set(['takeover', 'reassign', 'reopen']);

/**
 * The standing of someone with these role ids. With no roles configured everyone is a
 * lead (as before roles existed); with members but no leads, every member may do what a
 * lead does; with leads but no members, everyone is a member.
 */
export function standingOf(roleIds: readonly string[], roles: TeamRoles): Standing {
  const has = (list: readonly string[]) => list.some((id) => roleIds.includes(id));
  if (has(roles.leads)) return 'lead';
  const member = roles.members.length === 0 || has(roles.members);
  if (!member) return 'outsider';
  return roles.leads.length === 0 ? 'lead' : 'member';
}

/** Whether that standing allows the action; `release` of someone else's claim is a lead's. */
export function mayAct(action: CardAction, standing: Standing, ownsClaim: boolean): boolean {
  if (standing === 'outsider') return false;
  if (standing === 'lead') return true;
  if (LEAD_ACTIONS.has(action)) return false;
  return action !== 'release' || ownsClaim;
}

const VERB: Record<CardAction, string> = {
  claim: 'claim',
  reply: 'reply to',
  resolve: 'resolve',
  escalate: 'escalate',
  dismiss: 'dismiss',
  release: 'release',
  reopen: 'reopen',
  takeover: 'take over',
  reassign: 'reassign',
  note: 'add notes to',
  thank: 'thank the author of',
  share: 'share',
  open: 'open a card for',
};

function roleList(ids: readonly string[]): string {
  const pills = ids.map((id) => `<@&${id}>`);
  return pills.length <= 1 ? (pills[0] ?? '') : `${pills.slice(0, -1).join(', ')} or ${pills.at(-1)}`;
}

/**
 * A polite refusal that says who can. Role pills name the roles; the message must be sent
 * with no allowed mentions so nobody is pinged.
 */
export function describeWhoMay(action: CardAction, roles: TeamRoles, ownsClaim: boolean): string {
  const verb = VERB[action];
  const leadsOnly = LEAD_ACTIONS.has(action) || (action === 'release' && !ownsClaim);
  const who = leadsOnly ? roleList(roles.leads) : roleList([...roles.members, ...roles.leads.filter((id) => !roles.members.includes(id))]);
  const mention = action === 'release' && !ownsClaim ? "someone else's claim" : 'this mention';
  return `Sorry, only ${who || (leadsOnly ? 'leads' : 'team members')} can ${verb} ${mention}. Ask one of them if it needs doing.`;
}
