/**
 * Message objects as Discord returns them: the create/edit body merged into a full
 * {@link APIMessage} (ids, author, timestamps, mentions resolved through `allowed_mentions`,
 * component ids numbered, embeds typed `rich`).
 */
import {
  MessageFlags,
  MessageType,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIUser,
  type MessageFlags as MessageFlagsType,
} from 'discord-api-types/v10';

type Json = Record<string, unknown>;

/** A file that arrived in a multipart body. */
export interface UploadedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The bytes as uploaded. */
  data: Buffer;
}

/** Everything a message needs besides the request body. */
export interface MessageContext {
  id: string;
  channelId: string;
  author: APIUser;
  /** Users the peer knows, to resolve `<@id>` mentions. */
  knownUsers: ReadonlyMap<string, APIUser>;
  files?: UploadedFile[];
  /** Extra top-level fields, e.g. `webhook_id` and `interaction_metadata` for interaction replies. */
  extra?: Partial<APIMessage>;
}

interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
}

/** Applies `allowed_mentions` (absent means "parse everything", as on Discord). */
function resolveMentions(content: string, allowed: AllowedMentions | undefined, knownUsers: ReadonlyMap<string, APIUser>) {
  const parse = allowed?.parse ?? (allowed ? [] : ['users', 'roles', 'everyone']);
  const userIds = [...content.matchAll(/<@!?(\d{17,19})>/g)].map((match) => match[1] ?? '');
  const roleIds = [...content.matchAll(/<@&(\d{17,19})>/g)].map((match) => match[1] ?? '');
  const mentions = [...new Set(userIds)]
    .filter((id) => parse.includes('users') || (allowed?.users ?? []).includes(id))
    .map((id) => knownUsers.get(id))
    .filter((user): user is APIUser => user !== undefined);
  const mentionRoles = [...new Set(roleIds)].filter((id) => parse.includes('roles') || (allowed?.roles ?? []).includes(id));
  const mentionEveryone = parse.includes('everyone') && /@(everyone|here)/.test(content);
  return { mentions, mention_roles: mentionRoles, mention_everyone: mentionEveryone };
}

/** Discord numbers every component (depth first) when the sender did not. */
function numberComponents(components: unknown): APIMessage['components'] {
  if (!Array.isArray(components)) return [];
  let next = 1;
  const visit = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    const copy: Json = { ...(node as Json) };
    if (copy.id === undefined) copy.id = next;
    next = Math.max(next, Number(copy.id)) + 1;
    if (Array.isArray(copy.components)) copy.components = copy.components.map(visit);
    if (copy.component !== undefined) copy.component = visit(copy.component);
    if (copy.accessory !== undefined) copy.accessory = visit(copy.accessory);
    return copy;
  };
  return components.map(visit) as APIMessage['components'];
}

function normaliseEmbeds(embeds: unknown): APIEmbed[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((embed) => ({ type: 'rich', ...(embed as APIEmbed) }) as APIEmbed);
}

/**
 * The attachments of the uploaded files. As on Discord, `files[n]` is described by the
 * entry of the body's `attachments` whose `id` is `n` (its `filename` and `description`
 * win over the upload's).
 */
function toAttachments(files: UploadedFile[] | undefined, nextId: () => string, described: unknown): APIAttachment[] {
  const entries = Array.isArray(described) ? (described as Json[]) : [];
  return (files ?? []).map((file) => {
    const id = nextId();
    const index = /^files\[(\d+)\]$/.exec(file.field)?.[1];
    const entry = entries.find((a) => index !== undefined && String(a.id) === index);
    const filename = typeof entry?.filename === 'string' && entry.filename ? entry.filename : file.filename;
    return {
      id,
      filename,
      size: file.size,
      content_type: file.contentType,
      url: `https://cdn.discordapp.com/attachments/0/${id}/${filename}`,
      proxy_url: `https://media.discordapp.net/attachments/0/${id}/${filename}`,
      ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
    };
  });
}

/** Embed images and thumbnails given as `attachment://name` point at that attachment, as Discord resolves them. */
function resolveAttachmentUrls(embeds: APIEmbed[], attachments: readonly APIAttachment[]): APIEmbed[] {
  const resolve = (media: { url: string } | undefined) => {
    const name = media?.url.startsWith('attachment://') ? media.url.slice('attachment://'.length) : undefined;
    const found = name === undefined ? undefined : attachments.find((a) => a.filename === name);
    return found ? { ...media, url: found.url, proxy_url: found.proxy_url } : media;
  };
  return embeds.map((embed) => ({
    ...embed,
    ...(embed.image ? { image: resolve(embed.image) as APIEmbed['image'] } : {}),
    ...(embed.thumbnail ? { thumbnail: resolve(embed.thumbnail) as APIEmbed['thumbnail'] } : {}),
  }));
}

/** Flags a client may set on create or edit (the rest are Discord's to set). */
const CLIENT_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2;

/** Builds the message Discord would store for a create body. */
export function createMessage(body: Json, context: MessageContext, nextId: () => string): APIMessage {
  const content = typeof body.content === 'string' ? body.content : '';
  const message: APIMessage = {
    id: context.id,
    channel_id: context.channelId,
    author: context.author,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    ...resolveMentions(content, body.allowed_mentions as AllowedMentions | undefined, context.knownUsers),
    attachments: toAttachments(context.files, nextId, body.attachments),
    embeds: normaliseEmbeds(body.embeds),
    components: numberComponents(body.components),
    pinned: false,
    type: MessageType.Default,
    flags: (Number(body.flags ?? 0) & CLIENT_FLAGS) as MessageFlagsType,
    ...context.extra,
  };
  message.embeds = resolveAttachmentUrls(message.embeds, message.attachments);
  if (body.nonce !== undefined) message.nonce = body.nonce as string;
  if (body.message_reference !== undefined) {
    message.message_reference = body.message_reference as APIMessage['message_reference'];
    message.type = MessageType.Reply;
  }
  return message;
}

/** Applies an edit body: present keys replace, `null` clears, absent keys stay. */
export function editMessage(
  message: APIMessage,
  body: Json,
  knownUsers: ReadonlyMap<string, APIUser>,
  files: UploadedFile[] | undefined,
  nextId: () => string,
): APIMessage {
  const edited: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
  if ('content' in body) edited.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) edited.embeds = normaliseEmbeds(body.embeds);
  if ('components' in body) edited.components = numberComponents(body.components);
  if ('flags' in body) edited.flags = ((Number(message.flags ?? 0) & ~CLIENT_FLAGS) | (Number(body.flags ?? 0) & CLIENT_FLAGS)) as MessageFlagsType;
  if ('attachments' in body || (files?.length ?? 0) > 0) {
    const kept = Array.isArray(body.attachments)
      ? message.attachments.filter((old) => (body.attachments as Json[]).some((a) => a.id === old.id))
      : message.attachments;
    edited.attachments = [...kept, ...toAttachments(files, nextId, body.attachments)];
  }
  edited.embeds = resolveAttachmentUrls(edited.embeds, edited.attachments);
  if ('content' in body || 'allowed_mentions' in body) {
    Object.assign(edited, resolveMentions(edited.content, body.allowed_mentions as AllowedMentions | undefined, knownUsers));
  }
  return edited;
}
