/**
 * The name of a card's thread, made from the mention it is about. Discord shows a thread
 * name as typed (no markdown) in the channel list and the thread header, at most 100
 * characters; a name made from a post must neither ping, nor look like formatting, nor
 * end in half an emoji. Pure.
 */
import { plainForDiscord } from './display-text.js';

/** Discord's limit for a channel (and thread) name. */
export const THREAD_NAME_MAX = 100;

/** User, role and channel mentions, slash-command and emoji tokens: shown literally in a name, so dropped. */
const TOKENS = /<(?:@[!&]?|#|\/[\w -]+:|a?:\w+:)\d{0,20}>/g;
/** Markdown punctuation: shown as typed in a name, where it only adds noise. */
const MARKDOWN = /[*_~`|>#[\]()\\]/g;
/** `@everyone`, `@here` and `@handle` keep the word without the `@` that makes them look like pings (an address's `@` stays). */
const AT_WORD = /(^|[^\w])@+/g;

/**
 * A thread name for a mention: `who: text`, with mention tokens and markdown removed,
 * whitespace folded, cut to {@link THREAD_NAME_MAX} characters on a grapheme with `…`.
 * An empty text gives `who`, and an empty result `fallback`.
 */
export function threadName(who: string, text: string, fallback: string): string {
  const plain = (s: string) => s.replace(TOKENS, ' ').replace(MARKDOWN, ' ').replace(AT_WORD, '$1').replace(/\s+/g, ' ').trim();
  const name = [plain(who), plain(text)].filter(Boolean).join(': ');
  const cut = plainForDiscord(name, THREAD_NAME_MAX).trim();
  return cut || plainForDiscord(plain(fallback), THREAD_NAME_MAX) || 'Card';
}
