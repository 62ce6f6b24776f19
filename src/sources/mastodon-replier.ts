import { createHash } from 'node:crypto';
import { MastoHttpError } from 'masto';
import type { MastodonSourceConfig } from '../config/source-schemas.js';
import type { Mention } from '../core/mention.js';
import { createMastodonClient, MASTODON_WRITE_SCOPES, mastodonInstanceOf, mastodonResumeAt } from './mastodon.js';
import type { Replier, ReplyCheck, SentReply } from './replier.js';
import type { SourceDeps } from './source.js';
import { ReplyRefusedError } from './source-errors.js';

/** A reply never widens the audience of the post it answers (a public reply to a direct message would publish it). */
const VISIBILITIES = new Set(['public', 'unlisted', 'private', 'direct']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `text` already addresses `@handle` (as a whole handle, not a prefix of a longer one). */
function addresses(text: string, handle: string): boolean {
  return new RegExp(`(?<![\\w@])@${escapeRegExp(handle)}(?![\\w@-]|\\.\\w)`, 'i').test(text);
}

/** Mastodon notifies the author only when the reply @mentions them: put `@acct` first unless it is there. */
export function addressedReply(text: string, acct: string, fullHandle?: string): string {
  const trimmed = text.trim();
  if (addresses(trimmed, acct) || (fullHandle && addresses(trimmed, fullHandle))) return trimmed;
  return `@${acct} ${trimmed}`;
}

function refusalOf(error: unknown, tokenEnv: string): Error {
  if (!(error instanceof MastoHttpError)) return error as Error;
  const said = error.message || `HTTP ${error.statusCode}`;
  switch (error.statusCode) {
    case 401:
    case 403:
      return new ReplyRefusedError(`Mastodon refused the brand account's token (${said}): ${tokenEnv} needs the ${MASTODON_WRITE_SCOPES} scope.`);
    case 404:
      return new ReplyRefusedError(`The post is gone or not visible to the brand account any more (${said}).`);
    case 422:
      return new ReplyRefusedError(`Mastodon did not take the reply: ${said}.`);
    case 429:
      return new ReplyRefusedError(`Mastodon's rate limit is reached; try again after ${mastodonResumeAt(error, new Date()).toISOString().slice(11, 16)} UTC.`);
    default:
      return error;
  }
}

/**
 * Sends replies as the brand account through the instance the source reads
 * (`POST /api/v1/statuses` with `in_reply_to_id`). Undefined when the access token's
 * environment variable is unset, or no instance is known.
 */
export function createMastodonReplier(config: MastodonSourceConfig & { name: string }, deps: SourceDeps): Replier | undefined {
  const tokenEnv = config.credentials.accessToken;
  const token = deps.secret(tokenEnv);
  if (!token) return undefined;
  const origin = mastodonInstanceOf(config, deps.brand);
  if (!origin) {
    deps.log.warn({ source: config.name }, 'Mastodon replies are off: no instance (set `instance`, or a brand handle user@instance)');
    return undefined;
  }
  const client = createMastodonClient(origin, token);

  function check(mention: Mention): ReplyCheck {
    if (mention.source !== 'mastodon') return { ok: false, reason: `This is a ${mention.source} post, not a Mastodon one.` };
    const ref = mention.replyRef;
    if (!ref?.statusId || !ref.acct) return { ok: false, reason: 'The post was recorded without its Mastodon status id: reply from its page on Mastodon.' };
    if (ref.instance !== origin) {
      return { ok: false, reason: `The post was read through ${ref.instance ?? 'another instance'}, and its status id there means nothing to ${origin}, where replies are sent from: reply from its page on Mastodon.` };
    }
    return { ok: true };
  }

  return {
    platform: 'mastodon',
    check,
    async reply(mention, text): Promise<SentReply> {
      const verdict = check(mention);
      if (!verdict.ok) throw new ReplyRefusedError(verdict.reason);
      const ref = mention.replyRef!;
      const visibility = VISIBILITIES.has(ref.visibility ?? '') ? (ref.visibility as 'public' | 'unlisted' | 'private' | 'direct') : 'public';
      const status = addressedReply(text, ref.acct!, mention.author.handle);
      // Mastodon keeps an Idempotency-Key for an hour: a retried send does not post twice.
      const key = createHash('sha256').update(`${mention.id}\n${status}`).digest('hex').slice(0, 40);
      try {
        const sent = await client.v1.statuses.create(
          { status, inReplyToId: ref.statusId!, visibility },
          { requestInit: { headers: { 'Idempotency-Key': key } } },
        );
        return { id: sent.id, url: sent.url ?? sent.uri };
      } catch (error) {
        throw refusalOf(error, tokenEnv);
      }
    },
  };
}
