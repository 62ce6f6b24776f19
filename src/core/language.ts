import { loadDetector } from './language-data.js';

/**
 * The language of a mention, as an ISO 639-1 code or `und`. Most mentions a brand gets are
 * plainly English: the mood pass counts, per word, markers only English has ("the", "you",
 * "with", or a word the English vocabulary scores that other languages do not write) and
 * markers only other languages have ("und", "que", "het", or a word with accented
 * letters), and a text with English markers and no foreign ones is English without asking
 * the detector. Anything else goes to ELD (the `eld` package, its small database),
 * chosen by measured accuracy on short posts and speed; a short, plain-ASCII text the
 * detector is unsure of stays English, so English recall is not lost on "ok fixed, ty".
 */

// ELD with its small database; from the JSON the build writes when there is one (see language-data.ts).
const eld = await loadDetector();

/** Whether a word is a marker of English, of another language, or neither. */
export type LanguageMark = 'english' | 'foreign' | null;

// Function words frequent in English posts that are not words of Spanish, Portuguese,
// French, German, Italian or Dutch ("die", "was", "is", "in", "so", "do", "i" are, and stay out).
const ENGLISH = new Set([
  'the', 'and', 'you', 'your', 'my', 'to', 'for', 'with', 'this', 'that', 'it', 'have', 'has', 'had', 'not', 'just', 'but',
  'what', 'are', 'we', 'our', 'us', 'they', 'their', 'been', 'from', 'can', 'get', 'got', 'thanks', 'thank', 'please',
  'why', 'how', 'when', 'would', 'could', 'should', 'about', 'there', 'than', 'being', 'does', 'did', "don't", "doesn't",
  "didn't", "can't", "won't", "i'm", "it's", "you're", "isn't", "wasn't", 'any', 'now', 'still', 'again', 'after', 'every',
]);

// Function words of the other languages the mood pass knows, none of them an English word.
const FOREIGN = new Set([
  // German
  'uns', 'hat', 'wurde', 'nichts', 'keine', 'euch', 'sind', 'habe', 'haben', 'wird', 'nur', 'und', 'ist', 'nicht', 'ich', 'das', 'ein', 'eine', 'mit', 'auf', 'sehr', 'aber', 'auch', 'noch', 'schon', 'wir', 'bei', 'mir', 'mein', 'meine', 'wie',
  // Spanish
  'nos', 'nadie', 'hace', 'desde', 'ustedes', 'tiene', 'estoy', 'que', 'por', 'una', 'muy', 'pero', 'para', 'mi', 'es', 'está', 'esta', 'gracias', 'hola', 'nada', 'mucho',
  // Portuguese
  'ninguém', 'foi', 'tem', 'vocês', 'pelo', 'pela', 'estou', 'não', 'nao', 'uma', 'meu', 'minha', 'muito', 'mas', 'você', 'voce', 'obrigado', 'obrigada', 'até', 'ainda',
  // French
  'été', 'sont', 'cette', 'aussi', 'encore', 'ça', 'chez', 'leur', 'les', 'une', 'je', 'pas', 'pour', 'avec', 'très', 'mais', 'merci', 'vous', 'nous', "c'est", "j'ai", 'toujours', 'rien',
  // Italian
  'nessuno', 'stato', 'delle', 'degli', 'nel', 'nella', 'questa', 'ho', 'hanno', 'più', 'il', 'che', 'sono', 'molto', 'grazie', 'della', 'anche', 'questo', 'ancora', 'perché', 'niente',
  // Dutch
  'heeft', 'ons', 'iets', 'niemand', 'zijn', 'wordt', 'deze', 'jullie', 'hebben', 'uur', 'het', 'een', 'ik', 'niet', 'voor', 'maar', 'wel', 'heel', 'nog', 'bedankt', 'mijn', 'geen', 'ook', 'weer', 'echt',
]);

// Words the English vocabulary scores that other languages write the same way: no marker.
const SHARED = new Set([
  'die', 'super', 'top', 'gut', 'fatal', 'horrible', 'terrible', 'perfect', 'normal', 'total', 'brilliant', 'formidable', 'ok', 'okay', 'chaos',
  'drama', 'genial', 'excellent', 'fantastic', 'simple', 'rapide', 'bravo', 'mega', 'crisis', 'pure', 'hot', 'cool', 'best', 'stress', 'problem',
  'no', 'so', 'in', 'was', 'is', 'me', 'mi', 'do', 'will', 'also', 'hell', 'bad', 'arm', 'fast', 'art', 'gift', 'rat', 'rot', 'mist', 'kind', 'war',
]);

/**
 * Whether `word` (lowercase) marks English, another language, or neither. English marks
 * are its function words and the words the English vocabulary scores (`knownToEnglish`),
 * less the ones other languages share ("die", "super", "gut").
 */
export function languageMarkOf(word: string, knownToEnglish: boolean): LanguageMark {
  if (ENGLISH.has(word)) return 'english';
  if (FOREIGN.has(word)) return 'foreign';
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) > 0x7f) return 'foreign';
  return knownToEnglish && !SHARED.has(word) ? 'english' : null;
}

// Letters of scripts other than Latin (Greek to Hangul): the tokenizer reads no words in them.
const OTHER_SCRIPT = /[\u0370-\u03ff\u0400-\u052f\u0530-\u058f\u0590-\u06ff\u0900-\u0dff\u0e00-\u0eff\u10a0-\u10ff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;
const HANDLES_AND_LINKS = /(?:https?:\/\/|www\.)\S+|[@#][\w.@-]+/g;
const ASCII_LETTER = /[a-z]/gi;
const LETTER = /\p{L}/gu;

/**
 * The language of `text`: English when the word pass saw words only English uses ("the",
 * "you", "with") and none only other languages use ("und", "que", "het") or with letters
 * beyond ASCII, else ELD's verdict on the text without handles and links; `und` when there are
 * no letters to judge. A plain-ASCII text ELD is unsure of stays `en`.
 */
export function detectLanguage(text: string, englishMarks: number, foreignMarks: number): string {
  if (foreignMarks === 0 && englishMarks > 0 && !OTHER_SCRIPT.test(text)) return 'en';
  const plain = text.replace(HANDLES_AND_LINKS, ' ');
  const letters = plain.match(LETTER)?.length ?? 0;
  if (letters === 0) return 'und';
  const ascii = (plain.match(ASCII_LETTER)?.length ?? 0) / letters;
  const found = eld.detect(plain);
  if (found.language === '' || !found.isReliable()) return ascii >= 0.9 ? 'en' : found.language || 'und';
  // A short ASCII text with nothing foreign in it: the detector guesses on a few letter trigrams.
  if (found.language !== 'en' && foreignMarks === 0 && ascii === 1 && letters < 20) return 'en';
  return found.language;
}

// Made on first use (ICU's language names load at the first one: a few ms at start).
let names: Intl.DisplayNames | undefined;

/** The English name of a language code ("ja" → "Japanese"), the code itself when unknown. */
export function languageName(code: string): string {
  try {
    return (names ??= new Intl.DisplayNames(['en'], { type: 'language' })).of(code) ?? code;
  } catch {
    return code;
  }
}
