/**
 * Mood from phrases only, for languages `natural` has no vocabulary for (Turkish, Polish,
 * Japanese): a short list per language of the unmistakable phrases of recommending,
 * praising, complaining, being charged, a service being down and leaving ("tavsiye ederim",
 * "polecam", "最悪", "nie działa", "解約"). Written by the team by meaning from everyday
 * usage and customer-service wording in each language; none is mined from labelled data.
 * When no phrase matches, the mood is not judged: classify says so instead of guessing.
 */

/** What a phrase says; weights are on the word scale, as the other vocabularies' are. */
export type PhraseTopic = 'recommend' | 'praise' | 'complaint' | 'billing' | 'outage' | 'churn' | 'wish';

interface Phrase {
  topic: PhraseTopic;
  weight: number;
  pattern: RegExp;
  /** Contempt or outrage: a complaint using it is angry. */
  heated?: boolean;
}

const p = (topic: PhraseTopic, weight: number, source: string, heated = false): Phrase => ({ topic, weight, pattern: new RegExp(source, 'u'), heated });

const PHRASES: Readonly<Record<string, readonly Phrase[]>> = {
  tr: [
    p('recommend', 2.5, String.raw`tavsiye ederim|tavsiye ediyorum|öneririm|öneriyorum|herkese öner`),
    p('praise', 3, String.raw`harika|mükemmel|muhteşem|bayıldım|çok (?:iyi|memnun|güzel|hızlı)|en iyi|teşekkürler|teşekkür ederim|süper`),
    p('complaint', -3, String.raw`rezalet|berbat|rezil|utanç|kabul edilemez|dolandırıc`, true),
    p('complaint', -2.5, String.raw`çok kötü|en kötü|saçma|hala (?:gelmedi|cevap yok|bekliyorum)|yanıt (?:yok|vermiyor)|cevap vermiyor`),
    p('billing', -2, String.raw`fazladan|iki kez (?:çek|ödeme|ücret)|ücret (?:yansı|kesil|alın)|para iadesi|iade (?:edin|istiyorum|etmediniz)`),
    p('outage', -2, String.raw`çalışmıyor|açılmıyor|bağlanamıyor|çöktü|erişilemiyor|(?:hizmet|internet|sinyal|şebeke) yok`),
    p('churn', -2, String.raw`iptal ed(?:iyorum|eceğim)|aboneliğimi iptal|bir daha asla|başka (?:bir )?(?:operatöre|bankaya|firmaya|şirkete) geç|vazgeçtim`),
    p('wish', 0, String.raw`eklenir mi|eklemenizi|eklerseniz|gelecek mi|olsa (?:çok )?(?:iyi|güzel) olur`),
  ],
  pl: [
    p('recommend', 2.5, String.raw`polecam|godny polecenia|warto`),
    p('praise', 3, String.raw`świetn|rewelac|genialn|najlepsz|super|dziękuję|dzięki|idealn|doskonał|bardzo (?:dobr|szybk|miła|mił)`),
    p('complaint', -3, String.raw`beznadziejn|fataln|tragedia|tragiczn|najgorsz|żenad|skandal|oszu[sk]|okropn|porażka`, true),
    p('complaint', -2.5, String.raw`coraz gorsz|nadal (?:nie|brak|czekam)|brak (?:odpowiedzi|kontaktu)|rozczarowan`),
    p('billing', -2, String.raw`dwa razy|podwójn[ae] (?:opłat|obciążen)|proszę o zwrot|zwrot pieniędzy|pobrali|pobrano|nadpłat`),
    p('outage', -2, String.raw`nie działa|awaria|nie mogę się zalogować|brak (?:zasięgu|internetu|sieci|usługi)`),
    p('churn', -2, String.raw`odinstalow|rezygnuj[eę]|przechodzę do|wracam do innych|nigdy więcej|wypowiadam umow|anuluj[eę] (?:subskrypcj|abonament)`),
    p('wish', 0, String.raw`dodajcie|prosimy o dodanie|byłoby (?:super|świetnie|miło) gdyby`),
  ],
  ja: [
    p('recommend', 2.5, String.raw`おすすめ|オススメ|お勧め|お薦め|勧めます`),
    p('praise', 3, String.raw`最高|素晴らしい|すばらしい|ありがとう|助かり|親切|快適|満足|大好き|また(?:泊まり|利用し|使い|行き|乗り)たい|便利`),
    p('complaint', -3, String.raw`最悪|ひどい|酷い|詐欺|ふざけ`, true),
    p('complaint', -2.5, String.raw`残念|がっかり|不便|対応が悪|返事がない|連絡がない|まだ届かない`),
    p('billing', -2, String.raw`二重請求|二重に請求|請求され|返金|課金され|引き落とされ`),
    p('outage', -2, String.raw`繋がらない|つながらない|ログインできない|使えない|障害|落ちて|起動しない|開かない`),
    p('churn', -2, String.raw`解約|二度と|乗り換え|退会|アンインストール`),
    p('wish', 0, String.raw`てほしい|てほしいです|て欲しい|ようにしてください|対応してください`),
  ],
};

/** What the phrases of one text came to. */
export interface PhraseMood {
  total: number;
  topics: Set<PhraseTopic>;
  /** The phrases that matched, as `topic: "words"`. */
  evidence: string[];
  heated: boolean;
}


/** The phrases of `language` found in `text`, or null when none matched (or the language has none). */
export function phraseMood(text: string, language: string): PhraseMood | null {
  const phrases = PHRASES[language];
  if (phrases === undefined) return null;
  const lower = text.toLocaleLowerCase(language);
  let mood: PhraseMood | null = null;
  for (const phrase of phrases) {
    const m = phrase.pattern.exec(lower);
    if (m === null) continue;
    mood ??= { total: 0, topics: new Set(), evidence: [], heated: false };
    if (!mood.topics.has(phrase.topic) || phrase.weight !== 0) mood.total += phrase.weight;
    mood.topics.add(phrase.topic);
    mood.evidence.push(`${phrase.topic}: "${m[0]}"`);
    if (phrase.heated) mood.heated = true;
  }
  return mood;
}
