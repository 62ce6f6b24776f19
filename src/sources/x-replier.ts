/**
 * Replies on X as the brand account (OAuth 1.0a user context). Since February 2026 X
 * takes API replies only to posts that @mention or quote the account; others are refused
 * before sending, with the reason shown to the person who wrote the reply.
 */
import { ApiResponseError, type TwitterApi } from 'twitter-api-v2';
import type { XSourceConfig } from '../config/source-schemas.js';
import type { Mention } from '../core/mention.js';
import type { Replier, ReplyCheck } from './replier.js';
import { ReplyRefusedError } from './source-errors.js';
import type { SourceDeps } from './source.js';
import { xHandleOf } from './brand-terms.js';
import { createXClient, problemKind, problemText, rateLimitResetOf } from './x-client.js';

/**
 * The X replier, or undefined unless all four OAuth 1.0a variables named in
 * `config.credentials` (appKey, appSecret, accessToken, accessSecret) are set.
 */
export function createXReplier(config: XSourceConfig & { name: string }, deps: SourceDeps): Replier | undefined {
  const { appKey, appSecret, accessToken, accessSecret } = config.credentials;
  const keys = { appKey: deps.secret(appKey), appSecret: deps.secret(appSecret), accessToken: deps.secret(accessToken), accessSecret: deps.secret(accessSecret) };
  if (!keys.appKey || !keys.appSecret || !keys.accessToken || !keys.accessSecret) return undefined;
  const tokens = { appKey: keys.appKey, appSecret: keys.appSecret, accessToken: keys.accessToken, accessSecret: keys.accessSecret };
  const envNames = [appKey, appSecret, accessToken, accessSecret].join(', ');
  const account = config.account ?? xHandleOf(deps.brand);
  const shownAccount = account ? `@${account}` : "the brand's account";
  let api: TwitterApi | undefined;

  const check = (mention: Mention): ReplyCheck => {
    if (mention.source !== 'x') return { ok: false, reason: `This is a ${mention.source} post, not an X post: reply on ${mention.source}.` };
    if (mention.addressesBrand) return { ok: true };
    return {
      ok: false,
      reason: `Since February 2026 X allows API replies only to posts that @mention or quote ${shownAccount}, and this one does not: copy and paste this reply on X instead.`,
    };
  };

  return {
    platform: 'x',
    check,

    async reply(mention: Mention, text: string) {
      const verdict = check(mention);
      if (!verdict.ok) throw new ReplyRefusedError(verdict.reason);
      api ??= createXClient({ apiUrl: config.apiUrl, token: tokens }).api;
      try {
        const sent = await api.v2.reply(text, mention.id);
        const id = sent.data.id;
        return { id, url: account ? `https://x.com/${account}/status/${id}` : `https://x.com/i/status/${id}` };
      } catch (error) {
        throw refusal(error, { envNames, shownAccount }) ?? error;
      }
    },
  };
}

/** What to tell the writer when X refuses a reply; undefined when it is not a refusal. */
function refusal(error: unknown, names: { envNames: string; shownAccount: string }): ReplyRefusedError | undefined {
  if (!(error instanceof ApiResponseError)) return undefined;
  const said = problemText(error);
  if (error.code === 403) {
    return new ReplyRefusedError(
      `X refused this reply (${said}). X takes API replies only to posts that @mention or quote ${names.shownAccount}, from an app with write access; copy and paste the reply on X instead.`,
    );
  }
  if (error.code === 401) {
    return new ReplyRefusedError(`X refused the brand account's write credentials (${said}): ask an admin to renew ${names.envNames}. Meanwhile copy and paste the reply on X.`);
  }
  if (error.code === 429 || error.code === 402) {
    const kind = problemKind(error.data as { type?: string });
    if (error.code === 402 || kind === 'usage-capped' || kind === 'credits-depleted') {
      return new ReplyRefusedError(`X will not take more API posts for this project (${said}): copy and paste the reply on X, and ask an admin to check the X Developer Console.`);
    }
    const at = rateLimitResetOf(error.rateLimit?.reset, new Date());
    return new ReplyRefusedError(`X is limiting posts right now: try again after ${at.toISOString().slice(11, 16)} UTC, or copy and paste the reply on X.`);
  }
  if (error.code === 400) return new ReplyRefusedError(`X did not accept this reply (${said}).`);
  return undefined;
}
