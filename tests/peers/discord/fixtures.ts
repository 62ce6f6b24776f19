/**
 * The world the peer serves: one guild, its text channels, roles, the bot and the humans who
 * have interacted. Shapes follow discord-api-types so discord.js parses them as it would
 * parse Discord's.
 */
import {
  ChannelType,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  PermissionFlagsBits,
  type APIGuildMember,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';

/** Every permission bit Discord defines, as the decimal string Discord sends. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits)
  .reduce((all, bit) => all | bit, 0n)
  .toString();

/** A Discord user as a test names it; the rest of {@link APIUser} is filled in. */
export interface PeerUserInput {
  /** Snowflake id (17–19 digits). */
  id: string;
  username: string;
  /** Shown as `global_name`; defaults to the username. */
  globalName?: string;
  /** The member's server nickname (`nick`). @defaultValue none */
  nick?: string;
  bot?: boolean;
}

/** Fills an {@link APIUser} the way Discord sends one for a user without avatar or flags. */
export function toApiUser(input: PeerUserInput): APIUser {
  return {
    id: input.id,
    username: input.username,
    global_name: input.globalName ?? (input.bot ? null : input.username),
    discriminator: input.bot ? '0000' : '0',
    avatar: null,
    bot: input.bot ?? false,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    primary_guild: null,
    collectibles: null,
  };
}

/** A guild member joined now, with the given role ids. */
export function toApiMember(user: APIUser, roles: string[] = [], joinedAt = new Date()): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt.toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A plain guild text channel. */
export function toTextChannel(id: string, guildId: string, name: string, position: number): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    permission_overwrites: [],
    flags: 0 as ChannelFlags,
  };
}

/** A role; the `@everyone` role has the guild's id. */
export function toRole(id: string, name: string, permissions: string, position: number): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

/** What GUILD_CREATE carries for the peer's guild. */
export interface GuildWorld {
  guildId: string;
  name: string;
  ownerId: string;
  channels: APITextChannel[];
  roles: APIRole[];
  members: APIGuildMember[];
  /** Active threads. @defaultValue none */
  threads?: APIThreadChannel[];
}

/** Builds the GUILD_CREATE payload; channels lose `guild_id` as they do on the real gateway. */
export function toGuildCreate(world: GuildWorld): GatewayGuildCreateDispatchData {
  return {
    id: world.guildId,
    name: world.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: world.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: world.roles,
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: 'en-US' as GatewayGuildCreateDispatchData['preferred_locale'],
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: world.members.length,
    voice_states: [],
    members: world.members,
    channels: world.channels.map(({ guild_id: _omitted, ...channel }) => channel) as GatewayGuildCreateDispatchData['channels'],
    threads: (world.threads ?? []) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
