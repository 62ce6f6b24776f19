import { createRequire } from 'node:module';
import { emojiValence } from './sentiment/emoji.js';

/**
 * Mood for the languages `natural` ships sentiment vocabularies for: Spanish and Portuguese
 * (AFINN, −5..5), French, German, Italian and Dutch (the Pattern lexicons, −1..1, put on
 * the AFINN scale). Each vocabulary is read on first use, so English-only streams never
 * load one. The team adds, per language, the everyday words of complaints and praise those
 * lists lack ("pésimo", "adorei", "kündigen") and the phrases of a complaint with no
 * feeling word ("todavía no ha llegado", "funktioniert nicht"), written by meaning from
 * customer-service wording in each language; none is mined from labelled data.
 */

const require = createRequire(import.meta.url);
const DIR = 'natural/lib/natural/sentiment/';

interface Source {
  file: string;
  /** Pattern lexicons hold `{ polarity: "-0.30" }` per word; AFINN lists hold numbers. */
  pattern: boolean;
  negations: readonly string[];
}

const SOURCES: Readonly<Record<string, Source>> = {
  es: { file: 'Spanish/afinnShortSortedSpanish.json', pattern: false, negations: ['no', 'nunca', 'jamás', 'ni', 'sin', 'tampoco'] },
  pt: { file: 'Portuguese/afinnShortSortedPortuguese.json', pattern: false, negations: ['não', 'nao', 'nunca', 'jamais', 'nem', 'sem'] },
  fr: { file: 'French/pattern-sentiment-fr.json', pattern: true, negations: ['pas', 'jamais', 'rien', 'aucun', 'aucune', 'sans', 'plus'] },
  de: { file: 'German/pattern-sentiment-de.json', pattern: true, negations: ['kein', 'keine', 'keinen', 'nicht', 'nie', 'niemals', 'ohne'] },
  it: { file: 'Italian/pattern-sentiment-it.json', pattern: true, negations: ['non', 'mai', 'niente', 'nessuno', 'senza'] },
  nl: { file: 'Dutch/pattern-sentiment-nl.json', pattern: true, negations: ['niet', 'nooit', 'geen', 'niets', 'zonder'] },
};

/** Pattern polarity −1..1 on the AFINN word scale. */
const PATTERN_SCALE = 5;

/** Team-written words the vocabularies lack, on the AFINN scale. */
const EXTRA_WORDS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  es: {
    pésimo: -4, pésima: -4, horrible: -4, fatal: -3, desastre: -3, estafa: -4, vergüenza: -3, lamentable: -3, inútil: -3, harto: -3, harta: -3,
    decepcionado: -3, decepcionada: -3, lento: -2, caído: -2, caida: -2, peor: -3,
    genial: 3, encanta: 3, encantó: 3, increíble: 3, buenísimo: 4, buenísima: 4, recomiendo: 3, recomendado: 3, gracias: 2, perfecto: 3, rápido: 2, fácil: 2, fáciles: 2, facilísimo: 3, maravilla: 3,
  },
  pt: {
    péssimo: -4, péssima: -4, horrível: -4, lixo: -4, desastre: -3, golpe: -3, vergonha: -3, decepcionado: -3, decepcionada: -3, lento: -2, pior: -3, ruim: -3,
    ótimo: 3, ótima: 3, adorei: 3, amei: 3, incrível: 3, recomendo: 3, obrigado: 2, obrigada: 2, valeu: 2, perfeito: 3, rápido: 2, fácil: 2, maravilha: 3, top: 2,
  },
  fr: {
    nul: -3, nulle: -3, catastrophe: -3, galère: -3, honte: -3, arnaque: -4, lamentable: -3, déçu: -3, déçue: -3, inadmissible: -4, lent: -2, pire: -3,
    adore: 3, génial: 3, géniale: 3, top: 2, merci: 2, recommande: 3, parfait: 3, rapide: 2, facile: 2, bravo: 3, impeccable: 3,
  },
  de: {
    katastrophe: -4, frechheit: -4, enttäuscht: -3, ärgerlich: -3, unverschämt: -4, chaos: -3, albtraum: -4, mies: -3, schlechteste: -4, nervt: -3, langsam: -2,
    danke: 2, klasse: 3, empfehle: 3, empfehlen: 3, großartig: 4, super: 3, top: 2, perfekt: 3, schnell: 2, einfach: 1, endlich: 1, genial: 3, begeistert: 3,
  },
  it: {
    pessimo: -4, pessima: -4, peggior: -4, peggiore: -4, vergogna: -3, disastro: -3, truffa: -4, deluso: -3, delusa: -3, lento: -2, lentissimo: -3,
    grazie: 2, ottimo: 3, ottima: 3, adoro: 3, consiglio: 2, perfetto: 3, veloce: 2, facile: 2, bellissima: 3, bellissimo: 3, fantastico: 3,
  },
  nl: {
    slechtste: -4, waardeloos: -4, schandalig: -4, drama: -3, teleurgesteld: -3, oplichting: -4, traag: -2,
    bedankt: 2, geweldig: 3, top: 3, aanrader: 3, raad: 1, perfect: 3, snel: 2, makkelijk: 2, fantastisch: 3, blij: 3,
  },
};

/**
 * Words of outrage and contempt per language ("vergüenza", "lamentable", "Frechheit"): a
 * complaint using one is angry, one that only reports or is disappointed is not. A subset
 * of the words above, by meaning.
 */
const HEATED_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  es: new Set(['pésimo', 'pésima', 'horrible', 'desastre', 'estafa', 'vergüenza', 'lamentable', 'inútil', 'harto', 'harta']),
  pt: new Set(['péssimo', 'péssima', 'horrível', 'lixo', 'desastre', 'golpe', 'vergonha']),
  fr: new Set(['nul', 'nulle', 'catastrophe', 'honte', 'arnaque', 'lamentable', 'inadmissible']),
  de: new Set(['katastrophe', 'frechheit', 'unverschämt', 'albtraum', 'mies', 'schlechteste']),
  it: new Set(['pessimo', 'pessima', 'peggior', 'peggiore', 'vergogna', 'disastro', 'truffa']),
  nl: new Set(['slechtste', 'waardeloos', 'schandalig', 'oplichting']),
};

/** A word in capitals for emphasis: three letters or more, none lowercase. */
const SHOUTED = /(?<![\p{L}])\p{Lu}{3,}(?![\p{L}])/u;
/** The end of a sentence or clause: a negation does not reach past it. */
const CLAUSE_END = /[.!?;:]/;

/** A phrase cue of one language: what it matches, its weight, and what it says for the intent. */
interface ForeignCue {
  pattern: RegExp;
  weight: number;
  topic: 'waiting' | 'outage' | 'billing' | 'fault' | 'churn' | 'recommend' | 'fixed' | 'wish';
}

const cue = (topic: ForeignCue['topic'], weight: number, source: string): ForeignCue => ({ topic, weight, pattern: new RegExp(source, 'u') });

/**
 * Complaints without a feeling word, one feature failing since an update (`fault`), leaving,
 * and recommending, per language (lowercased text).
 */
const CUES: Readonly<Record<string, readonly ForeignCue[]>> = {
  es: [
    cue('waiting', -2, String.raw`todav[ií]a no|sigue sin|sin respuesta|llevo (?:\S+ ){0,3}esperando|esperando (?:desde|hace)|no (?:ha|han) llegado`),
    cue('outage', -2, String.raw`ca[ií]d[oa]|no funciona|no carga|no puedo (?:entrar|imprimir|acceder|pagar)|sin (?:cobertura|servicio|se[ñn]al|internet|conexi[oó]n|l[ií]nea)`),
    cue('fault', -1.5, String.raw`desde la (?:[uú]ltima )?actualizaci[oó]n|se (?:cierra|cuelga) sol[ao]|pantalla en blanco|ya (?:lo )?reinstal[eé]|no sincroniza`),
    cue('billing', -2, String.raw`me (?:han |habéis |habeis |has )?cobrad[oa]|me cobr[aeó]\w*|cobro doble|cobro (?:de m[aá]s|indebido)|reembolso|devolu?ci[oó]n del dinero|cobrado dos veces|cargo (?:doble|de m[aá]s)`),
    cue('churn', -2, String.raw`me voy a la competencia|me voy con otr[oa]|me cambio (?:a|de)\b|me paso a|cancelar mi|darme de baja|me doy de baja|nunca m[aá]s|no vuelvo a|[uú]ltima vez que`),
    cue('recommend', 2.5, String.raw`lo recomiendo|la recomiendo|os recomiendo|se los recomiendo|recomendad[oa]`),
    cue('fixed', 0, String.raw`ya (?:funciona|est[aá] (?:bien|arreglado|resuelto))|ya se (?:arregl|solucion)`),
    cue('wish', 0, String.raw`ser[ií]a (?:genial|estupendo|bueno|[uú]til|ideal|perfecto) (?:que|poder|si|tener)|podr[ií]an (?:a[ñn]adir|agregar|incluir)|ojal[aá] (?:a[ñn]adan|pudiera)|me gustar[ií]a (?:que|poder)`),
  ],
  pt: [
    cue('waiting', -2, String.raw`ainda n[aã]o|continua sem|sem resposta|esperando h[aá]|n[aã]o chegou`),
    cue('outage', -2, String.raw`fora do ar|caiu|em baixo|n[aã]o funciona|n[aã]o carrega|n[aã]o consigo (?:entrar|imprimir|acessar|pagar)|sem (?:sinal|rede|servi[cç]o|internet)`),
    cue('fault', -1.5, String.raw`desde a (?:[uú]ltima )?atualiza[cç][aã]o|n[aã]o sincroniza|tela branca|j[aá] reinstalei|fecha sozinho`),
    cue('billing', -2, String.raw`fui cobrad[oa]|me cobraram|cobran[cç]a (?:duplicada|indevida)|reembolso|cobraram duas vezes|estorno`),
    cue('churn', -2, String.raw`vou cancelar|cancelei|cancelar (?:minha|meu)|vou mudar para|vou trocar|troquei de|vou para a concorr[eê]ncia|nunca mais|[uú]ltima vez que`),
    cue('recommend', 2.5, String.raw`recomendo|super recomendo`),
    cue('fixed', 0, String.raw`j[aá] (?:funciona|voltou|est[aá] (?:ok|certo|resolvido))`),
    cue('wish', 0, String.raw`seria (?:[óo]timo|bom|legal|incr[ií]vel|[úu]til|perfeito) (?:se|poder|ter)|poderiam (?:adicionar|incluir|colocar)|gostaria (?:que|de poder)`),
  ],
  fr: [
    cue('waiting', -2, String.raw`toujours pas|sans r[ée]ponse|toujours en attente|j'attends|ça fait (?:\S+ ){0,3}que j'attends|pas (?:encore )?arriv[ée]`),
    cue('outage', -2, String.raw`en panne|ne (?:marche|fonctionne) (?:pas|plus)|impossible de (?:me connecter|payer|imprimer)|hors service`),
    cue('fault', -1.5, String.raw`depuis la (?:derni[èe]re )?mise à jour|[ée]cran blanc|ne (?:m')?affiche plus|ne (?:se )?synchronise (?:pas|plus)|j'ai r[ée]install[ée]`),
    cue('billing', -2, String.raw`factur[ée]e?s? deux fois|pr[ée]lev[ée]e?s? (?:deux fois|à tort)|d[ée]bit[ée]e?s? (?:deux fois|à tort)|rembours|frais (?:cach[ée]s|de trop)`),
    cue('churn', -2, String.raw`je r[ée]silie|r[ée]silier|r[ée]sili[ée]|je (?:change|passe) (?:de|chez)|je pars chez|je vais chez|je me d[ée]sabonne|je quitte|plus jamais|derni[èe]re fois que`),
    cue('recommend', 2.5, String.raw`je (?:le |la |vous )?recommande`),
    cue('fixed', 0, String.raw`(?:ça|c'est) (?:remarche|r[ée]solu|r[ée]par[ée])|fonctionne (?:à nouveau|de nouveau)`),
    cue('wish', 0, String.raw`(?:ce serait|ça serait|il serait) (?:génial|bien|top|super|pratique|utile|parfait)|pourriez-vous (?:ajouter|permettre|proposer)|j'aimerais (?:bien )?(?:pouvoir|qu)`),
  ],
  de: [
    cue('waiting', -2, String.raw`immer noch nicht|noch keine antwort|keine antwort|warte seit|seit (?:\S+ ){0,2}(?:tagen|wochen|stunden)`),
    cue('outage', -2, String.raw`geht (?:gar )?nicht(?:s)?(?: mehr)?|funktioniert nicht|gar nichts mehr|ausgefallen|st[öo]rung|down`),
    cue('fault', -1.5, String.raw`seit dem (?:letzten )?update|st[üu]rzt (?:\S+ )?ab|wei[ßs]er bildschirm|synchronisiert nicht|neu installiert`),
    cue('billing', -2, String.raw`zweimal abgebucht|doppelt abgebucht|r[üu]ckerstattung|falsche rechnung|berechnet|geb[üu]hr|kein geld zur[üu]ck|geld (?:noch nicht )?zur[üu]ck`),
    cue('churn', -2, String.raw`ich k[üu]ndige|k[üu]ndigen|gek[üu]ndigt|wechsle (?:zu|den|jetzt)|ich wechsle|nie wieder|zur konkurrenz|das letzte mal`),
    cue('recommend', 2.5, String.raw`(?:kann|ich) (?:\S+ )?(?:nur )?empfehlen|empfehle`),
    cue('fixed', 0, String.raw`(?:geht|l[äa]uft|funktioniert) wieder|wieder (?:alles )?(?:ok|gut)`),
    cue('wish', 0, String.raw`w[äa]re (?:toll|sch[öo]n|super|gut|praktisch|hilfreich|klasse|genial)|k[öo]nnt(?:et|en) (?:ihr|sie) (?:\S+ ){0,3}(?:einbauen|hinzuf[üu]gen|anbieten|erm[öo]glichen)`),
  ],
  it: [
    cue('waiting', -2, String.raw`ancora non|nessuna risposta|sto aspettando|aspetto da|non (?:è|e') ancora arrivat`),
    cue('outage', -2, String.raw`non funziona|(?:è|e') gi[uù]|non riesco ad? (?:accedere|entrare|pagare|stampare)|fuori servizio`),
    cue('fault', -1.5, String.raw`dall'(?:ultimo )?aggiornamento|si blocca|schermata bianca|non (?:si )?sincronizza|reinstallat[oa]`),
    cue('billing', -2, String.raw`addebitat[oaie]|addebito|rimbors`),
    cue('churn', -2, String.raw`disdico|disdire|ho disdetto|passo a|cambio (?:gestore|operatore|banca)|mai pi[uù]|cancello l'app|disinstall|l'ultima volta che`),
    cue('recommend', 2.5, String.raw`(?:lo |la |ve lo )?consiglio|consigliatissim`),
    cue('fixed', 0, String.raw`(?:ora|adesso) funziona|(?:è|e') tornato|risolto`),
    cue('wish', 0, String.raw`sarebbe (?:bello|utile|fantastico|ottimo|comodo|perfetto)|potreste (?:aggiungere|inserire|permettere)|mi piacerebbe`),
  ],
  nl: [
    cue('waiting', -2, String.raw`nog steeds niet|geen reactie|geen antwoord|wacht al|nog niet (?:aangekomen|binnen)`),
    cue('outage', -2, String.raw`ligt (?:er )?(?:uit|plat)|werkt (?:\S+ ){0,4}?niet\b(?! (?:alleen|slecht))|doet (?:het|'t) (?:\S+ ){0,3}?niet\b(?! alleen)|kan niet inloggen|storing`),
    cue('fault', -1.5, String.raw`sinds de (?:laatste )?update|crasht|wit scherm|synchroniseert niet|opnieuw ge[iï]nstalleerd`),
    cue('billing', -2, String.raw`twee keer afgeschreven|dubbel afgeschreven|afgeschreven|terugbetaling|geld terug|kosten in rekening`),
    cue('churn', -2, String.raw`opzeggen|opgezegd|ik zeg op|overstappen|ik stap over|nooit meer|laatste keer dat`),
    cue('recommend', 2.5, String.raw`raad (?:het|ik|jullie) (?:\S+ )?aan|aanrader`),
    cue('fixed', 0, String.raw`werkt weer|weer opgelost|is opgelost`),
    cue('wish', 0, String.raw`zou (?:fijn|handig|mooi|top|geweldig|fantastisch) zijn|kunnen jullie (?:\S+ ){0,4}(?:toevoegen|maken|aanbieden)|graag zou ik`),
  ],
};

type Vocabulary = ReadonlyMap<string, number>;
const loaded = new Map<string, Vocabulary>();

function vocabularyOf(language: string, source: Source): Vocabulary {
  let vocabulary = loaded.get(language);
  if (vocabulary === undefined) {
    const raw = require(DIR + source.file) as Record<string, number | { polarity: string }>;
    const words = new Map<string, number>();
    for (const [w, v] of Object.entries(raw)) {
      const value = typeof v === 'number' ? v : Number(v.polarity) * PATTERN_SCALE;
      if (Number.isFinite(value) && value !== 0) words.set(w.toLowerCase(), value);
    }
    for (const [w, v] of Object.entries(EXTRA_WORDS[language] ?? {})) words.set(w, v);
    loaded.set(language, (vocabulary = words));
  }
  return vocabulary;
}

/** What the mood of a text in one of these languages came to. */
export interface ForeignMood {
  /** Word-scale total, as the English pass gives. */
  total: number;
  /** Words, emoji and cues that decided, strongest first. */
  evidence: string[];
  /** The cue topics that matched. */
  topics: Set<ForeignCue['topic']>;
  exclamations: number;
  question: boolean;
  /** A word of outrage or contempt, a word in capitals, or "!!": the heat an angry complaint has. */
  heated: boolean;
}

/** Whether `natural` has a vocabulary for the language. */
export function judgesMoodIn(language: string): boolean {
  return language in SOURCES;
}

const TOKEN = /[\p{L}'’]+|\p{Extended_Pictographic}/gu;
const SKIP = /(?:https?:\/\/|www\.)\S+|[@#][\w.@-]+/g;

/**
 * The mood of `text` in `language` (one `judgesMoodIn` accepts): vocabulary words, a
 * negation flipping the next two words, emoji, and the language's phrase cues.
 */
export function foreignMood(text: string, language: string): ForeignMood {
  const source = SOURCES[language]!;
  const vocabulary = vocabularyOf(language, source);
  const lower = text.toLowerCase().replace(SKIP, ' ');
  const scored: { text: string; value: number }[] = [];
  let negated = 0;
  let negator = '';
  let heated = false;
  let end = 0;
  const heatedWords = HEATED_WORDS[language];
  for (const m of lower.matchAll(TOKEN)) {
    if (negated > 0 && CLAUSE_END.test(lower.slice(end, m.index))) negated = 0;
    end = m.index + m[0].length;
    const token = m[0].replace(/’/g, "'");
    const emoji = emojiValence(token);
    if (emoji !== undefined) {
      if (emoji !== 0) scored.push({ text: token, value: emoji });
      continue;
    }
    if (source.negations.includes(token)) {
      negated = 2;
      negator = token;
      continue;
    }
    // French and Italian elide: "l'appli", "c'est", "n'est".
    const word = token.includes("'") ? token.slice(token.lastIndexOf("'") + 1) : token;
    const v = vocabulary.get(word) ?? vocabulary.get(token);
    if (heatedWords?.has(word)) heated = true;
    if (v === undefined) {
      if (negated > 0) negated--;
      continue;
    }
    if (negated > 0) {
      scored.push({ text: `${negator} ${word}`, value: v > 0 ? -0.75 * v : -0.4 * v });
      negated = 0;
    } else scored.push({ text: word, value: v });
  }
  const topics = new Set<ForeignCue['topic']>();
  const cueEvidence: string[] = [];
  let total = 0;
  for (const c of CUES[language] ?? []) {
    const m = c.pattern.exec(lower);
    if (m === null) continue;
    topics.add(c.topic);
    total += c.weight;
    cueEvidence.push(`${c.topic}: "${m[0]}"`);
  }
  for (const s of scored) total += s.value < 0 ? s.value * 1.5 : s.value;
  scored.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const exclamations = (text.match(/!/g) ?? []).length;
  return {
    total,
    evidence: [...cueEvidence, ...scored.map((s) => s.text)],
    topics,
    exclamations,
    question: /[?¿]/.test(text),
    heated: heated || exclamations >= 2 || SHOUTED.test(text.replace(SKIP, ' ')),
  };
}
