/**
 * ELD's small database, kept beside the built modules as JSON. ELD ships it as a 1.6 MB
 * JavaScript object literal, which Node parses and compiles on every start (about a third
 * of a second); `JSON.parse` reads the same data in a fraction of that. The build writes
 * the file (`npm run build`); the detector made from it is ELD's own, loaded with exactly
 * the data `eld/small` loads. Without the file, or when the installed ELD is not the
 * version that wrote it, `eld/small` is used as it is.
 */
import { readFileSync } from 'node:fs';

/** What the detector answers; the part of ELD's result language detection reads. */
export interface LanguageDetector {
  detect(text: string): { language: string; isReliable(): boolean };
}

interface EldInternals {
  createEld(): { instance: LanguageDetector; loadData(data: unknown): unknown };
}

interface Packed {
  eld: string;
  ngramsData: unknown;
}

/** The file the build writes next to the built `language.js`. */
export const DETECTOR_DATA = new URL('./eld-small.json', import.meta.url);

/** ELD's installed package: where its entry resolves (src/entries/dynamic.js) and its version. */
function eldPackage(): { root: URL; version: string } {
  const entry = import.meta.resolve('eld');
  const root = new URL('../../', entry);
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
  return { root, version };
}

/** The JSON text of ELD's small database, tagged with the ELD version it comes from. */
export async function packDetectorData(): Promise<string> {
  const { root, version } = eldPackage();
  const { ngramsData } = (await import(new URL('src/ngrams/small.js', root).href)) as { ngramsData: unknown };
  const packed: Packed = { eld: version, ngramsData };
  return JSON.stringify(packed);
}

/** An ELD detector loaded from packed data, or undefined when the data is for another ELD version. */
export async function detectorFromPacked(text: string): Promise<LanguageDetector | undefined> {
  const packed = JSON.parse(text) as Packed;
  const { root, version } = eldPackage();
  if (packed.eld !== version) return undefined;
  const { createEld } = (await import(new URL('src/languageDetector.js', root).href)) as EldInternals;
  const { instance, loadData } = createEld();
  loadData(packed.ngramsData);
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

