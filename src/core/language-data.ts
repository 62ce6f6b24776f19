/**
 * ELD's small database in a form that costs next to nothing at start. ELD ships it as a
 * 1.6 MB JavaScript object literal of 81,000 n-grams, which Node parses, compiles and
 * builds on every start (about a third of a second); as JSON it still takes a tenth. The
 * build writes it instead as sorted lines, `ngram<TAB>language:score,...`, and the detector
 * finds an n-gram by binary search when a text has it, keeping the n-grams it has decoded.
 * The detector is ELD's own, loaded with exactly the data `eld/small` loads (same scores).
 * Without the file, or when the installed ELD is not the version that wrote it, `eld/small`
 * is used as it is.
 */
import { readFileSync } from 'node:fs';

/** What the detector answers; the part of ELD's result language detection reads. */
export interface LanguageDetector {
  detect(text: string): { language: string; isReliable(): boolean };
}

interface EldInternals {
  createEld(): { instance: LanguageDetector; loadData(data: unknown): unknown };
}

interface NgramsData {
  type: string;
  languages: Record<number, string>;
  isSubset?: boolean;
  ngrams: Record<string, Record<number, number>>;
}

/** The first line of the file: the data besides the n-grams, and the ELD version it is from. */
interface Header extends Omit<NgramsData, 'ngrams'> {
  eld: string;
  /** N-gram lines that follow. */
  count: number;
}

/** The file the build writes next to the built `language.js`. */
export const DETECTOR_DATA = new URL('./eld-small.ngrams', import.meta.url);

/** ELD's installed package: where its entry resolves (src/entries/dynamic.js) and its version. */
function eldPackage(): { root: URL; version: string } {
  const entry = import.meta.resolve('eld');
  const root = new URL('../../', entry);
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  return { root, version };
}

/** ELD's small database as the file's text: a JSON header line, then one sorted line per n-gram. */
export async function packDetectorData(): Promise<string> {
  const { root, version } = eldPackage();
  const { ngramsData } = (await import(new URL('src/ngrams/small.js', root).href)) as { ngramsData: NgramsData };
  const { ngrams, ...rest } = ngramsData;
  const header: Header = { eld: version, count: Object.keys(ngrams).length, ...rest };
  const keys = Object.keys(ngrams).sort();
  const lines = keys.map((key) => {
    if (/[\t\n]/.test(key)) throw new Error(`ELD n-gram ${JSON.stringify(key)} has a tab or a newline: it cannot be packed`);
    return `${key}\t${Object.entries(ngrams[key]!).map(([lang, score]) => `${lang}:${score}`).join(',')}`;
  });
  return `${JSON.stringify(header)}\n${lines.join('\n')}\n`;
}

/**
 * The n-grams of the packed text as the object ELD reads (`ngrams[ngram]`, then each
 * language's score in it), looked up in the sorted lines when first asked for; undefined
 * when the text does not have the `count` lines its header says (a file cut short).
 */
function ngramTable(text: string, from: number, count: number): Record<string, Record<number, number>> | undefined {
  const starts: number[] = [];
  for (let at = from; at < text.length; ) {
    starts.push(at);
    const end = text.indexOf('\n', at);
    if (end < 0) break;
    at = end + 1;
  }
  if (starts.length !== count) return undefined;
  const found = new Map<string, Record<number, number>>();
  const find = (ngram: string): Record<number, number> | undefined => {
    let low = 0;
    let high = starts.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const start = starts[mid]!;
      const tab = text.indexOf('\t', start);
      const key = text.slice(start, tab);
      if (key < ngram) low = mid + 1;
      else if (key > ngram) high = mid - 1;
      else {
        const scores: Record<number, number> = {};
        const end = text.indexOf('\n', tab);
        for (const pair of text.slice(tab + 1, end < 0 ? text.length : end).split(',')) {
          const colon = pair.indexOf(':');
          scores[Number(pair.slice(0, colon))] = Number(pair.slice(colon + 1));
        }
        return scores;
      }
    }
    return undefined;
  };
  return new Proxy(Object.create(null) as Record<string, Record<number, number>>, {
    get(_, ngram) {
      if (typeof ngram !== 'string') return undefined;
      let scores = found.get(ngram);
      if (scores === undefined) {
        scores = find(ngram);
        // Only n-grams of the database are kept: at most its 81,000, whatever texts come.
        if (scores !== undefined) found.set(ngram, scores);
      }
      return scores;
    },
  });
}

/** An ELD detector loaded from the packed text, or undefined when it is for another ELD version. */
export async function detectorFromPacked(text: string): Promise<LanguageDetector | undefined> {
  const endOfHeader = text.indexOf('\n');
  const { eld, count, ...rest } = JSON.parse(text.slice(0, endOfHeader)) as Header;
  const { root, version } = eldPackage();
  if (eld !== version) return undefined;
  const ngrams = ngramTable(text, endOfHeader + 1, count);
  if (!ngrams) return undefined;
  const { createEld } = (await import(new URL('src/languageDetector.js', root).href)) as EldInternals;
  const { instance, loadData } = createEld();
  const data: NgramsData = { ...rest, ngrams };
  loadData(data);
  return instance;
}

/** ELD's small-database detector: from {@link DETECTOR_DATA} when the build wrote it, else `eld/small`. */
export async function loadDetector(): Promise<LanguageDetector> {
  let text: string | undefined;
  try {
    text = readFileSync(DETECTOR_DATA, 'utf8');
  } catch {
    // Not built (running from the TypeScript sources): ELD's own module.
  }
  const packed = text === undefined ? undefined : await detectorFromPacked(text).catch(() => undefined);
  return packed ?? (await import('eld/small')).eld;
}

