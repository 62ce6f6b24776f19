/**
 * `/triage incident`: a lead says what is known about an incident ("label printing down
 * since 10:20", state active) and later that it is over (state resolved). Outage drafts
 * triaged from then on speak to it; the answer goes privately to the lead.
 */
import { MessageFlags, type ChatInputCommandInteraction, type SlashCommandSubcommandBuilder } from 'discord.js';
import { standingOf, type TeamRoles } from '../core/card-permissions.js';
import { INCIDENT_STATES, type Incident, type IncidentState } from '../core/incident.js';
import { IncidentInputError, INCIDENT_TEXT_MAX, type IncidentStore } from '../store/incident-store.js';

/** The subcommand as registered: `text` (what is known) and `state` (active or resolved). */
export function incidentSubcommand(c: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return c
    .setName('incident')
    .setDescription('Leads: say what is known about an incident, or that it is resolved; outage drafts follow')
    .addStringOption((o) => o.setName('state').setDescription('active, or resolved once fixed').setRequired(true).addChoices(...INCIDENT_STATES.map((s) => ({ name: s, value: s }))))
    .addStringOption((o) => o.setName('text').setDescription('As a reply may quote it: "label printing down since 10:20"').setMaxLength(INCIDENT_TEXT_MAX));
}

/** Role ids from a raw API member (an array) or a cached one (a role manager). */
function roleIdsOf(roles: unknown): string[] {
  if (Array.isArray(roles)) return roles.filter((r): r is string => typeof r === 'string');
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

/** What the lead is told once the incident is set. */
export function describeIncident(incident: Incident): string {
  const quoted = `“${incident.text.replace(/[`*_~|<>@]/g, '')}”`;
  return incident.state === 'active'
    ? `Incident active: ${quoted}. Outage drafts from now on say what is known; set it resolved once fixed.`
    : `Incident resolved: ${quoted}. For the next hours outage drafts say it is fixed and ask whether it works for them now.`;
}

export interface IncidentCommandDeps {
  incidents?: IncidentStore;
  /** Who counts as a lead (`discord.roles`). @defaultValue none configured: everyone */
  roles?: TeamRoles;
  now?: () => Date;
}

/** Answers `/triage incident`. */
export function createIncidentCommand(deps: IncidentCommandDeps) {
  const { incidents, roles = { members: [], leads: [] }, now = () => new Date() } = deps;
  return async (interaction: ChatInputCommandInteraction): Promise<void> => {
    const tell = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    if (!incidents) return void (await tell('Incidents are not set up on this bot.'));
    const member = interaction.member as { roles?: unknown; nick?: unknown; nickname?: unknown } | null;
    if (standingOf(roleIdsOf(member?.roles), roles) !== 'lead') return void (await tell('Only a lead can set an incident.'));
    const state = interaction.options.getString('state', true) as IncidentState;
    const text = interaction.options.getString('text') ?? undefined;
    // A cached GuildMember has `nickname`; a raw API member has `nick`.
    const nick = [member?.nickname, member?.nick].find((n): n is string => typeof n === 'string' && n.trim() !== '');
    const by = `@${nick ?? interaction.user.globalName ?? interaction.user.username}`;
    try {
      const incident = await incidents.set({ state, ...(text ? { text } : {}), by }, now());
      await tell(describeIncident(incident));
    } catch (error) {
      if (!(error instanceof IncidentInputError)) throw error;
      await tell(`Not set: ${error.message}.`);
    }
  };
}
