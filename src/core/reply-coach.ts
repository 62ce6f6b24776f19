/**
 * The reply coach: reads a draft against the mention it answers and says, as a good
 * support lead would, what the reply is missing or should not say (docs/customer-wow.md).
 * Pure and deterministic; the Reply modal, `reply-check` and drafts from elsewhere all
 * ask it. A `block` hint is one the reply must not go out with (the platform refuses it,
 * or it exposes the customer); `warn` is worth fixing; `info` is worth a look.
 */
import type { Classification, Intent } from './classification.js';
import type { Mention, Platform } from './mention.js';
import { PLATFORM_LIMITS, postedReply, PRIVATE_MESSAGES, replyLength } from './platform-limits.js';
import * as P from './reply-coach-phrases.js';
import { replyMood } from './suggest-reply.js';

export type HintSeverity = 'info' | 'warn' | 'block';

export const HINT_CODES = [
  'too-long',
  'private-data',
  'no-private-channel',
  'no-acknowledgement',
  'no-apology',
  'no-next-step',
  'no-follow-up-time',
  'condescending',
  'over-promise',
  'blame',
  'cheerful-to-angry',
] as const;
export type HintCode = (typeof HINT_CODES)[number];

/** One thing the coach noticed, with the words of the draft that triggered it (empty for something missing). */
export interface ReplyHint {
  code: HintCode;
  severity: HintSeverity;
  message: string;
  words: string[];
}

/** Topics where something went wrong for the customer, so a reply owes an apology. */
const FAILURE_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['complaint', 'outage', 'billing', 'bug']);
/** Topics where the customer waits for something, so a reply owes a next step. */
const PROBLEM_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['complaint', 'outage', 'billing', 'bug', 'question']);

const PLATFORM_NAME: Readonly<Record<Platform, string>> = {
  x: 'X',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  hackernews: 'Hacker News',
  reddit: 'Reddit',
  rss: 'a feed',
  file: 'a replay',
};

const SEVERITY_ORDER: Readonly<Record<HintSeverity, number>> = { block: 0, warn: 1, info: 2 };

/**
 * Hints for `draft` as a reply to `mention`, most severe first. Without a classification
 * only what the draft and the platform show is checked; the mood-dependent hints (an
 * apology, a next step, the tone) need the mood and topic.
 */
export function coachReply(draft: string, mention: Mention, classification?: Classification): ReplyHint[] {
  const text = draft.trim();
  const hints: ReplyHint[] = [];
  const add = (code: HintCode, severity: HintSeverity, message: string, words: string[] = []) => hints.push({ code, severity, message, words });

  const length = replyLength(mention.source, postedReply(mention.source, mention.author.handle, text));
  const limit = PLATFORM_LIMITS[mention.source];
  if (length > limit) add('too-long', 'block', `Too long for ${mention.source}: ${length} of ${limit} characters as it counts them. Shorten it.`);

  const secrets = askedFor(text, P.SECRETS, { anyRoute: true });
  if (secrets.length) add('private-data', 'block', 'Never ask for passwords, codes or full card numbers, in public or in private: ask for what identifies the case instead.', secrets);
  const personal = askedFor(text, P.PERSONAL_DATA, { anyRoute: false });
  if (personal.length) add('private-data', 'block', 'This asks for private details in a public reply: move that part to a private channel.', personal);

  const dm = found(text, P.DIRECT_MESSAGE);
  if (dm.length && !PRIVATE_MESSAGES.has(mention.source) && mention.source !== 'file') {
    add('no-private-channel', 'block', `${PLATFORM_NAME[mention.source]} has no private messages: offer an email address or a support link instead.`, dm);
  }

  const mood = classification ? replyMood(classification) : undefined;
  const unhappy = mood === 'angry' || mood === 'unhappy';
  const intent = classification?.intent;

  if (found(text, P.ACKNOWLEDGEMENT).length === 0) {
    add('no-acknowledgement', unhappy ? 'warn' : 'info', 'Open with thanks or an acknowledgement of what they said.');
  }
  if (unhappy && intent && FAILURE_INTENTS.has(intent) && found(text, P.APOLOGY).length === 0) {
    add('no-apology', 'warn', 'Something went wrong for them: say sorry, for that specific thing.');
  }
  if (intent && (PROBLEM_INTENTS.has(intent) || unhappy)) {
    if (found(text, P.NEXT_STEP).length === 0) add('no-next-step', 'warn', 'Say what happens next: what you will do, or what they can do.');
    else if (found(text, P.FOLLOW_UP_TIME).length === 0) add('no-follow-up-time', 'info', 'Say when they will hear back (today, within an hour, once it is fixed).');
  }

  const condescending = found(text, P.CONDESCENDING);
  if (condescending.length) add('condescending', 'warn', 'This can read as talking down: assume they are smart and say it plainly.', condescending);
  const promises = found(text, P.OVER_PROMISE);
  if (promises.length) add('over-promise', 'warn', 'Promise only what the team can keep every time.', promises);
  const blame = [...found(text, P.BLAME_CUSTOMER), ...found(text, P.BLAME_OTHERS)];
  if (blame.length) add('blame', 'warn', 'Own the problem for them: no blame on the customer or on a partner.', blame);

  if (mood === 'angry') {
    const cheer = [...found(text, P.CHEERFUL), ...(text.includes('!') ? ['!'] : []), ...unique(text.match(P.EMOJI) ?? [])];
    if (cheer.length) add('cheerful-to-angry', 'warn', 'They are angry: keep the tone calm (no exclamation marks, emoji or upbeat words).', cheer);
  }

  return hints.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || HINT_CODES.indexOf(a.code) - HINT_CODES.indexOf(b.code));
}

/** Whether any hint should stop the reply before it is sent. */
export function needsReview(hints: readonly ReplyHint[]): boolean {
  return hints.some((h) => h.severity !== 'info');
}

/** The phrases of `pattern` in `text`, as written there, each once. */
function found(text: string, pattern: RegExp): string[] {
  return unique([...text.matchAll(pattern)].map((m) => m[0]));
}

function unique(words: readonly string[]): string[] {
  const seen = new Set<string>();
  return words.filter((w) => {
    const k = w.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Data terms the draft asks the person to give, sentence by sentence: a sentence that
 * names the data with a request in it, not one that says "we'll never ask for …". Unless
 * `anyRoute`, a request sent somewhere private ("DM us your account number") is fine.
 */
function askedFor(text: string, terms: RegExp, { anyRoute }: { anyRoute: boolean }): string[] {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/);
  return unique(
    sentences.flatMap((sentence) => {
      const named = found(sentence, terms);
      if (!named.length || !found(sentence, P.REQUEST).length || found(sentence, P.NOT_ASKING).length) return [];
      if (found(sentence, P.LAST_DIGITS).length) return [];
      if (!anyRoute && found(sentence, P.PRIVATE_ROUTE).length) return [];
      return named;
    }),
  );
}
