/**
 * What makes a sentence an enquiry, from English question syntax: closed by "?" and opened
 * by an auxiliary or a question word. Lists written by the team; none is mined from data.
 */

/** Words that open an enquiry (not "why": in a mention that one complains). */
const ENQUIRY_OPENERS: ReadonlySet<string> = new Set(['is', 'are', 'was', 'will', 'would', 'can', 'could', 'do', 'does', 'did', 'any', 'what', 'when', 'where', 'which', 'how', 'who', 'should', 'may', 'has', 'have']);

/** Words that lead into a sentence without deciding its form: "hi, can you…", "so is it…". */
const LEAD_INS: ReadonlySet<string> = new Set(['hi', 'hey', 'hello', 'so', 'and', 'also', 'but', 'ok', 'okay', 'please']);

/** Whether a sentence or clause whose first word is `word` asks (when it ends in "?"). */
export function opensEnquiry(word: string | null): boolean {
  return word !== null && ENQUIRY_OPENERS.has(word);
}

/** Whether `word` leads into a sentence without being its first real word ("hi", "so"). */
export function isLeadIn(word: string): boolean {
  return LEAD_INS.has(word);
}

/** Whether offset `at` lies in one of `spans` (flat start, end pairs). */
export function within(spans: readonly number[], at: number): boolean {
  for (let k = 0; k < spans.length; k += 2) if (at >= spans[k]! && at < spans[k + 1]!) return true;
  return false;
}
