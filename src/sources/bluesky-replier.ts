/**
 * Sends the team's replies on Bluesky as the brand account: an `app.bsky.feed.post`
 * record whose `reply` names the thread's root and the mention as parent, created with
 * `com.atproto.repo.createRecord`. Any Bluesky post can be answered (unlike X).
 */
import { AtUri, RichText, XRPCError } from '@atproto/api';
import type { BlueskySourceConfig } from '../config/source-schemas.js';
import type { Mention } from '../core/mention.js';
import { PLATFORM_LIMITS, replyLength } from '../core/platform-limits.js';
import { blueskyCredentials, createBlueskySession, type BlueskyCredentials } from './bluesky-session.js';
import type { Replier } from './replier.js';
import { ReplyRefusedError, SourceDisabledError, SourceError, SourceRateLimitedError } from './source-errors.js';
import type { SourceDeps, SourceKv } from './source.js';

/** What the replier needs; `kv` is the Bluesky source's own, so both use one stored session. */
export interface BlueskyReplierDeps extends SourceDeps {
  /**
   * The source's kv (`createSourceKv(redis, prefix, config.name)`): the replier then
   * resumes the session the source stored. Without it the session is kept in memory and
   * the first reply of each process logs in.
   */
  kv?: SourceKv;
}

/** The reply reference a mention needs, or why it has none. */
function replyRefOf(mention: Mention): { cid: string; rootUri: string; rootCid: string } | string {
  if (mention.source !== 'bluesky') return `not a Bluesky post (source ${mention.source})`;
  const { cid, rootUri, rootCid } = mention.replyRef ?? {};
  if (!cid || !rootUri || !rootCid) return 'this mention has no Bluesky reply reference (cid, rootUri, rootCid); reply in the Bluesky app';
  return { cid, rootUri, rootCid };
}

/**
 * The Bluesky reply sender, or undefined when the app password's environment variable
 * is unset (replies then stay copy-and-paste).
 */
export function createBlueskyReplier(config: BlueskySourceConfig & { name: string }, deps: BlueskyReplierDeps): Replier | undefined {
  if (!deps.secret(config.credentials.appPassword)) return undefined;
  let credentials: BlueskyCredentials;
  try {
    credentials = blueskyCredentials(config, deps);
  } catch (error) {
    deps.log.warn({ source: config.name, reason: (error as Error).message }, 'Bluesky replies disabled');
    return undefined;
  }
  const session = createBlueskySession({
    label: `${config.name} replies`,
    service: config.service,
    credentials,
    kv: deps.kv,
    log: deps.log,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });

  return {
    platform: 'bluesky',
    check(mention) {
      const ref = replyRefOf(mention);
      return typeof ref === 'string' ? { ok: false, reason: ref } : { ok: true };
    },
    async reply(mention, text) {
      const ref = replyRefOf(mention);
      if (typeof ref === 'string') throw new ReplyRefusedError(ref);
      const length = replyLength('bluesky', text);
      if (length > PLATFORM_LIMITS.bluesky) throw new ReplyRefusedError(`Bluesky posts take at most ${PLATFORM_LIMITS.bluesky} characters; this reply has ${length}`);
      try {
        const account = await session.account();
        const created = await session.call('reply', async (agent) => {
          // Links and @handles become facets, as the app makes them (handles are resolved).
          const rich = new RichText({ text });
          await rich.detectFacets(agent);
          return agent.com.atproto.repo.createRecord({
            repo: account.did,
            collection: 'app.bsky.feed.post',
            record: {
              $type: 'app.bsky.feed.post',
              text: rich.text,
              ...(rich.facets?.length ? { facets: rich.facets } : {}),
              reply: { root: { uri: ref.rootUri, cid: ref.rootCid }, parent: { uri: mention.id, cid: ref.cid } },
              createdAt: new Date().toISOString(),
            },
          });
        });
        const { uri } = created.data;
        return { id: uri, url: `https://bsky.app/profile/${account.handle}/post/${new AtUri(uri).rkey}` };
      } catch (error) {
        if (error instanceof SourceRateLimitedError) {
          throw new ReplyRefusedError(`Bluesky is limiting the brand account's requests until ${error.resumeAt.toISOString().slice(11, 16)} UTC; send it again then`);
        }
        if (error instanceof SourceDisabledError) throw new ReplyRefusedError(`Bluesky refused the brand account's credentials: ${error.message}`);
        if (error instanceof XRPCError && error.status === 400) throw new ReplyRefusedError(`Bluesky refused the reply: ${error.message}`);
        if (error instanceof SourceError) throw new ReplyRefusedError(error.message);
        throw error;
      }
    },
  };
}
