import { ANGER, BILLING, BUG, DISRUPTION, LETDOWN, LOST, OUTAGE, SERVICE, WAITING, WAITING_TIME } from './complaint-cues.js';
import { type CueClass, type CueHit, type CueRule, type CueTopic, type PhraseRule, holdsAny, phrase, word } from './cue-pattern.js';
import { INTENT_CLASSES } from './intent-cues.js';
import { TRIAGE_CLASSES, WORD_OF_MOUTH } from './triage-cues.js';

/**
 * Phrase cues: complaints and praise that carry no (or the wrong) sentiment word, and the
 * matcher that finds them. Each class is written by the team from customer-service practice
 * across industries (transport, telecom, retail, software, banking); none is mined from
 * labelled data. The complaint classes live in complaint-cues.ts.
 */

const cls = (topic: CueTopic, weight: number, rules: CueRule[]): CueClass => ({ topic, weight, rules });
const r = String.raw;

// Sarcasm and polite anger: thanks/praise that the rest of the sentence denies.
const SARCASM = cls('sarcasm', -3, [
  phrase(['thank thanks', 'for', 'nothing* ruining* wasting* making the'], r`\bthanks? (?:a lot |so much )?for (?:nothing|ruining|wasting|making me|the (?:delay|wait|runaround|lack|inconvenience|non))`),
  // Feelings the failure supposedly gave: "makes me feel so valued", "glad you're sorry".
  phrase(['feel', 'make makes'], r`\bmakes? me feel (?:so |very |really )?(?:secure|valued|special|safe|appreciated|important)\b`),
  phrase(['glad', 'sorry'], r`\bglad (?:you're|you are) sorry\b`),
  phrase(['funny great nice cool lovely wonderful', 'so how', 'that how to'], r`\b(?:so|how) (?:funny|great|nice|cool|lovely|wonderful) (?:that|how|to)\b`),
  phrase(['love loving', 'how that when'], r`\b(?:love|loving|gotta love|got to love|i love) (?:how|that|when) (?:you|your|my|i|the|it|we)\b`),
  // Nobody loves paying fees or waiting: "love paying a £3.99 service fee".
  phrase(['love loving enjoy enjoying', 'paying being getting waiting queuing queueing'], r`\b(?:love|loving|enjoy|enjoying) (?:paying|being (?:charged|told|put on hold|ignored)|getting charged|waiting|queu(?:e?ing))\b(?! (?:\S+ )?less\b)`),
  phrase(['ah oh', 'yes'], r`(?:^|[.!] )(?:ah|oh),? yes\b`),
  phrase(['coincidence', 'what'], r`\bwhat a coincidence\b`),
  phrase(['right', 'yeah sure'], r`\b(?:yeah|sure) right\b`),
  phrase(['needed', 'just'], r`\bjust what i needed\b`),
  // Not "the way to go": that one recommends.
  phrase(['way', 'go'], r`(?<!\bthe )\bway to go\b`),
  phrase(['great', 'job'], r`\bgreat job\b.*\b(?:not|no|again)\b`),
  phrase(['#not #sarcasm s'], r`(?:#not|#sarcasm|(?:^|\s)\/s)\b`, ['#not', '#sarcasm', '/s']),
  phrase(['thank thanks', 'again'], r`\bthanks? again\b`),
  phrase(['thank thanks', 'lot help update response', 'not now but'], r`\bthanks? (?:a lot|for the (?:help|update|response)),? ?\b(?:not|now|but)\b`),
  phrase(['\u{1F644} \u{1F643} \u{1F612}'], r`\uD83D[\uDE44\uDE43\uDE12]`),
  phrase(['oh', 'great good joy wonderful'], r`\boh (?:great|good|joy|wonderful)\b`),
  phrase(['what', 'way start'], r`\bwhat a (?:great|wonderful|fantastic) (?:way|start)\b`),
]);

// Asking why in public: in a mention to a brand this is a problem report more often than
// a neutral question.
// Not "that's why" or "reasons why": there "why" introduces an explanation, not a question.
const RHETORICAL = cls('rhetorical', -1.5, [phrase(['why'], r`(?<!\b(?:that's|thats|that is|reason|reasons) )\bwhy\b`)]);

// Asking for help in public: a problem report, unless asked as a plain enquiry ("can you
// help me add my number?"), which weigh-evidence.ts reads as a question (split from RHETORICAL).
const HELP = cls('help', -1.5, [
  phrase(['help', 'please pls plz someone somebody anyone need some'], r`\b(?:please|pls|plz|someone|somebody|anyone|need (?:some )?) help\b`),
  phrase(['help', 'me us'], r`\bhelp (?:me|us)\b`),
]);

// Urgency: deadlines and people affected.
const URGENCY = cls('urgency', -1, [
  word(r`\b(?:asap|urgent|urgently|immediately|emergency)\b`),
  phrase(['right', 'now'], r`\bright now\b`),
  phrase(['need needs', 'help answer response fixed get be'], r`\b(?:need|needs) (?:help|an answer|a response|this fixed|to get|to be)\b`),
  phrase(['kid kids baby wife husband mom dad mother father family', 'stuck stranded waiting missed sick'],
    r`\b(?:my|our) (?:kids?|baby|wife|husband|mom|dad|mother|father|family)\b.*\b(?:stuck|stranded|waiting|missed|sick)\b`),
  word(r`\b(?:medical|wheelchair|disabled|funeral|wedding)\b`),
]);

// Praise and thanks that name what went well.
const PRAISE = cls('praise', 1.5, [
  phrase(['thanks thank', 'for to'], r`\bthank(?:s| you)(?: so much| a lot| again)? (?:for|to)\b(?! (?:nothing|ruining|wasting|the (?:delay|wait)))`),
  phrase(['great amazing awesome excellent fantastic wonderful outstanding best superb friendly helpful', 'job* work* service* crew* staff* team* experience* flight* support* customer people* agent* pilot*'],
    r`\b(?:great|amazing|awesome|excellent|fantastic|wonderful|outstanding|best|superb|friendly|helpful) (?:job|work|service|crew|staff|team|experience|flight|support|customer service|people|agent|pilot)`),
  phrase(['rock best awesome amazing great', "you y'all guys"], r`\b(?:you|y'all|you guys|u guys) (?:rock|are (?:the best|awesome|amazing|great))\b`),
  phrase(['well nice good great shout hats props', 'done work job out off to'], r`\b(?:well done|nice work|good job|great job|shout out|hats off|props to)\b`,
    ['well done', 'nice work', 'good job', 'great job', 'shout out', 'hats off', 'props to']),
  word(r`\b(?:shoutout|kudos)\b`),
  phrase(['made make making', 'day week morning trip'], r`\b(?:made|make|making) my (?:day|week|morning|trip)\b`),
  phrase(['beyond', 'above'], r`\b(?:above and beyond)\b`),
  phrase(['love loved loving', 'the this your my it you flying'], r`\b(?:love|loved|loving) (?:the|this|your|my|it|you|flying)\b`),
  // Praise that holds up: "brilliant every single week", "spot on every time".
  phrase(['every', 'time week day month order delivery flight stay'], r`\b(?:brilliant|great|perfect|spot on|flawless|faultless|excellent|amazing|reliable|on time) every (?:single )?(?:time|week|day|month|order|delivery|flight|stay)\b`),
]);

// Word of mouth: the customer recommends the brand to others.
const RECOMMEND = cls('recommend', 2.5, [
  phrase(['recommend recommended recommending'], r`\b(?:highly |definitely |totally )?recommend(?:ed|ing)?\b(?! (?:you|that you))`),
  phrase(['again', 'fly use book buy shop order'], r`\b(?:will|would|can't wait to) (?:definitely )?(?:fly|use|book|buy|shop|order) (?:with )?(?:you |u |them )?again\b`),
  phrase(['best', 'ever around in'], r`\bbest (?:airline|company|app|service|brand|customer service) (?:ever|around|in)\b`),
  phrase(['should', 'ago sooner earlier'], r`\bshould have (?:done|switched|joined|signed up|moved)\b[^.!?]{0,20}\b(?:ago|sooner|earlier)\b`),
  // "My go-to", "our go to", "the go-to app": not "go to app settings" or "go to store".
  phrase(['go', 'my our airline app bank store shop brand company'],
    r`\b(?:(?:my|our) go[- ]?to\b|go-to (?:airline|app|bank|store|shop|brand|company)\b)`),
  phrase(['life', 'customer'], r`\b(?:loyal customer for life|customer for life)\b`),
  phrase(['10'], r`\b10\/10\b`),
  phrase(['stars', '5 five'], r`\b(?:5 stars|five stars)\b`),
  // A problem denied, a testimonial: "never had an issue", "never let me down", "nobody has complained", "no complaints".
  phrase(['never', 'let failed missed skipped done had wait waited'], r`\bnever (?:once )?(?:let (?:me|us) down|failed (?:me|us)|missed a beat|skipped a beat|done anything (?:weird|wrong|stupid|dodgy)|had (?:a|an|any|one|a single) (?:single )?(?:problem|issue|complaint|hiccup|glitch)s?|had to wait (?:more|longer) than|waited (?:more|longer) than)\b`),
  phrase(["hasn't hasnt haven't never not", 'single one'], r`\b(?:hasn't|hasnt|haven't|havent|has not|have not|never) (?:once )?(?:lost|dropped|missed|crashed on|corrupted) (?:a single|one) \w+`),
  phrase(["haven't havent not", 'problem issue complaint hiccup glitch problems issues complaints'], r`\b(?:haven't|havent|have not|not) (?:had|once had|seen) (?:a|an|any|one|a single) (?:single )?(?:problem|issue|complaint|hiccup|glitch)s?\b(?! (?:until|till|before|since))`),
  phrase(['nobody noone one', 'complained complains missed asked looked'], r`\b(?:no ?one|nobody) (?:has |have |ever )?(?:complained|complains|missed|looked back|asked to (?:go|switch) back)\b`),
  phrase(['complaints', 'no zero'], r`\b(?:no|zero) complaints\b(?! (?:team|department|form|process|procedure))`),
  // Endorsements with no feeling word, from review sites and referral threads.
  phrase(['changer game-changer gamechanger'], r`\bgame[- ]?changer\b`),
  phrase(['imagine', 'back without using'], r`\b(?:can't|cannot|cant|couldn't|could not) imagine (?:going back|working without|life without|(?:\S+ +){0,2}?without (?:it|them|you)|using anything else)\b`),
  phrase(['back', 'looked looking going went'], r`\b(?:never|not|haven't|have not|without) (?:once )?(?:looked|looking|going|gone|went) back\b(?! (?:to (?:you|them|this|that|it|@\S+)|on|there|for|since|in|again|with))`),
  phrase(['best', "i've i we've have"], r`\b(?:hands down|by far) the best\b|\bbest (?:\S+ +){0,2}?(?:i've|i have|we've|we have) (?:ever )?(?:used|had|tried|found|flown|stayed)\b`),
  phrase(['penny'], r`\bworth every penny\b`),
  phrase(['fault', "can't cannot cant couldn't"], r`\b(?:can't|cannot|cant|couldn't|could not) fault (?:them|it|you|@\S+|the)\b`),
  phrase(['happier', "couldn't could"], r`\bcould(?:n't| not) be happier\b`),
  phrase(['exceeded', 'expectations expectation'], r`\bexceeded (?:\S+ +)?expectations?\b`),
  phrase(['enough', 'say'], r`\b(?:can't|cannot|cant|couldn't) say enough (?:good|great|nice) things\b`),
  phrase(['works', 'just'], r`(?:\bit|@\S+|\bthis|\beverything) just works\b`),
  phrase(['kiss'], r`\bchef'?s kiss\b`),
  // Idioms of high praise: "blown away", "rock solid", "never disappoints", "the real deal", "absolute legends".
  phrase(['blown'], r`\bblown away\b(?! by how (?:bad|awful|terrible|slow|rude|poor|little|expensive|useless))`),
  phrase(['solid', 'rock'], r`\brock[- ]solid\b`),
  phrase(['rate', 'highly'], r`\bhighly rate\b`),
  phrase(['disappoints fails', 'never'], r`\bnever (?:disappoints|fails to (?:impress|deliver))\b`),
  phrase(['believe', 'good great fast easy'], r`\b(?:can't|cannot|cant) believe how (?:good|great|fast|easy)\b`),
  phrase(['deal', 'real'], r`\b(?:is|are) the real deal\b`),
  phrase(['breath', 'fresh'], r`\bbreath of fresh air\b`),
  phrase(['legend legends', 'absolute total actual'], r`\b(?:absolute|total|actual) legends?\b`),
  phrase(['came come comes', 'through'], r`\b(?:came|come|comes) through (?:for (?:me|us)|again|big|in the end)\b`),
  phrase(['good', 'stupidly ridiculously insanely unreasonably'], r`\b(?:stupidly|ridiculously|insanely|unreasonably) good\b`),
  // Coming back for more: "already asking when we're flying with them again".
  phrase(['again', 'flying staying booking ordering shopping eating coming'], r`(?<!\b(?:never|not|won't|wont|stop|no longer) (?:\S+ )?)\b(?:when|till|until) (?:we're|we are|i'm|i am) (?:flying|staying|booking|ordering|shopping|eating|coming back) (?:with |at |from |to )?(?:them|you|@\S+) again\b`),
  phrase(['lifesaver saver saved', 'life my'], r`\blife ?saver\b|\bsaved my (?:life|bacon|skin|day)\b`),
]);

// A problem put right fast, told as praise: "refunded in 48 hours, no arguing", "new card
// arrived the next day", "the refund flow took two minutes". The problem's own words are
// what was resolved (weigh-evidence.ts damps them).
const QUICK_FIX = cls('resolved', 2.5, [
  phrase(['refunded sorted fixed resolved replaced reissued rebooked back arrived', 'in within by under next same'],
    r`(?<!\b(?:not|never|be|being|supposedly|apparently|said|says|promised|should be|will be|would be) )\b(?:refunded|sorted|fixed|resolved|replaced|reissued|rebooked|money back|arrived) (?:\S+ +){0,2}?(?:(?:in|within|under) (?:just |only |about )?(?:\d+|a|an|one|two|three|ten|twenty|half an) ?(?:minutes?|mins?|hours?|hrs?|day)\b|by lunch(?:time)?\b|the (?:next|same) (?:day|morning)\b)`, ['min', 'hour', 'hr', 'day', 'lunch', 'morning']),
  phrase(['took', 'minutes minute'], r`\b(?:refund|claim|return|replacement|swap|fix|process|flow) (?:\S+ +){0,2}?took (?:just |only )?(?:\d+|a few|two|three|five|ten|a) minutes?\b`),
  phrase(['no', 'arguing quibbles quibble fuss hassle questions'], r`\bno (?:arguing|argument|quibbles?|fuss|hassle|questions asked)\b`),
]);

// Requests for features, not faults.
const REQUEST = cls('request', 0, [
  phrase(['please pls plz', 'add bring make consider let allow offer support'], r`\b(?:please|pls|plz) (?:add|bring back|make|consider|let us|allow|offer|support)\b`),
  phrase(['nice great cool awesome helpful', "would it'd", 'if to'], r`\b(?:would|it'd|it would) be (?:nice|great|cool|awesome|helpful) (?:if|to)\b`),
  phrase(['request', 'feature'], r`\bfeature request\b`),
  phrase(['plans', 'any'], r`\bany plans to\b`),
  phrase(['planning', 'you'], r`\bare you planning\b`),
  phrase(['will', 'add support offer'], r`\bwhen will you (?:add|support|offer)\b`),
  phrase(['should', 'add offer make'], r`\byou should (?:add|offer|make)\b`),
  phrase(['wish', 'you there it i'], r`\bwish (?:you|there was|there were|it had|i could)\b`),
  phrase(["that'd that", 'nice great cool awesome helpful amazing', 'be'], r`\bthat(?:'d| would) be (?:nice|great|cool|awesome|helpful|amazing)\b`),
]);

/** The cue classes in the order their evidence is shown; the intent-only and triage classes last. */
export const CUE_CLASSES: readonly CueClass[] = [
  SARCASM, ANGER, LOST, BILLING, OUTAGE, BUG, DISRUPTION, WAITING, WAITING_TIME, SERVICE, LETDOWN, RHETORICAL, HELP, URGENCY, REQUEST, RECOMMEND, WORD_OF_MOUTH, PRAISE, QUICK_FIX,
  ...INTENT_CLASSES,
  ...TRIAGE_CLASSES,
];

// ---- The matcher ------------------------------------------------------------------------

/** A rule with its class index, flattened in class order then rule order (the tie-break). */
interface FlatRule {
  cls: number;
  rule: CueRule;
  /** Bit mask with one bit per gate list: the rule is ready when all are set. */
  full: number;
}

const RULES: FlatRule[] = [];
/** Gate word → entries `rule << 3 | gate`. */
const EXACT_GATES = new Map<string, number[]>();
/** Gate prefixes (`"delay*"`) with their entries. */
const PREFIX_GATES: [prefix: string, entry: number][] = [];
CUE_CLASSES.forEach((c, ci) => {
  for (const rule of c.rules) {
    const id = RULES.length;
    RULES.push({ cls: ci, rule, full: rule.kind === 'phrase' ? (1 << rule.gates.length) - 1 : 0 });
    if (rule.kind !== 'phrase') continue;
    rule.gates.forEach((gate, g) => {
      for (const w of gate) {
        if (w.endsWith('*')) PREFIX_GATES.push([w.slice(0, -1), (id << 3) | g]);
        else EXACT_GATES.set(w, [...(EXACT_GATES.get(w) ?? []), (id << 3) | g]);
      }
    });
  }
});

/** A one-word rule a word satisfies, with the words it matched. */
export interface WordCue {
  rule: number;
  text: string;
}

/** The phrase-rule gates a token (lowercase word, `#tag`, emoji, `DURATION_TOKEN`) meets; null when none. Not cached: callers memoise per word. */
export function cueGatesOf(token: string): readonly number[] | null {
  const exact = EXACT_GATES.get(token);
  let out: number[] | null = exact === undefined ? null : [...exact];
  for (const [prefix, entry] of PREFIX_GATES) if (token.startsWith(prefix)) (out ??= []).push(entry);
  // A regex reads "you'd" as "you" + "'" + "d": each part meets its own gates too.
  if (token.includes("'")) {
    for (const part of token.split("'")) {
      const gates = part === '' ? null : cueGatesOf(part);
      if (gates !== null) out = out === null ? [...gates] : [...out, ...gates];
    }
  }
  return out;
}

/** The gates an emoji or `DURATION_TOKEN` meets (exact words only; no prefix applies). */
export function exactCueGatesOf(token: string): readonly number[] | null {
  return EXACT_GATES.get(token) ?? null;
}

/** The one-word rules a lowercase word satisfies; null when none. Not cached: callers memoise per word. */
export function wordCuesOf(token: string): readonly WordCue[] | null {
  let out: WordCue[] | null = null;
  RULES.forEach(({ rule }, id) => {
    if (rule.kind !== 'word') return;
    const m = rule.pattern.exec(token);
    if (m) (out ??= []).push({ rule: id, text: m[0] });
  });
  return out;
}

// Per-text state: classify is synchronous, so one set of buffers serves every call.
// Per rule, one number: the text's serial above the low byte, the gates met in it (and
// READY once the rule is queued). A rule whose serial is stale has met no gate yet.
const state = new Int32Array(RULES.length);
/** Per rule, the gate bits that make it ready (a copy of `full`, read without an object load). */
const FULL = Uint8Array.from(RULES, (r) => r.full);
const READY = 0x80;
const SERIAL_STEP = 0x100;
/** Serial << 8: the current text's mark in `state`. */
let serial = 0;
const ready: number[] = [];
const wordRule: number[] = [];
const wordAt: number[] = [];
const wordText: string[] = [];
const bestAt = new Int32Array(CUE_CLASSES.length);
const bestRule = new Int32Array(CUE_CLASSES.length);
const bestText: string[] = new Array<string>(CUE_CLASSES.length).fill('');

/** Starts collecting a new text's cue evidence. */
export function beginCues(): void {
  serial += SERIAL_STEP;
  if (serial >= 0x7fffff00) {
    state.fill(0);
    serial = SERIAL_STEP;
  }
  // Setting a length is a runtime call even on an empty array: most texts leave these empty.
  if (ready.length !== 0) ready.length = 0;
  if (wordRule.length !== 0) {
    wordRule.length = 0;
    wordAt.length = 0;
    wordText.length = 0;
  }
}

/** Records the gates a token meets (from `cueGatesOf`). */
export function noteGates(entries: readonly number[]): void {
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    const id = e >> 3;
    const was = state[id]!;
    const s = ((was & ~0xff) === serial ? was & 0xff : 0) | (1 << (e & 7));
    if (s === FULL[id]) {
      ready.push(id);
      state[id] = serial | s | READY;
    } else state[id] = serial | s;
  }
}

/** Records the one-word rules a word satisfies (from `wordCuesOf`); `at` is where the word starts in the text. */
export function noteWordCues(cues: readonly WordCue[], at: number): void {
  for (const c of cues) {
    wordRule.push(c.rule);
    wordAt.push(at);
    wordText.push(c.text);
  }
}

function offer(c: number, at: number, rule: number, text: string): void {
  if (bestAt[c]! < 0 || at < bestAt[c]! || (at === bestAt[c]! && rule < bestRule[c]!)) {
    bestAt[c] = at;
    bestRule[c] = rule;
    bestText[c] = text;
  }
}

/**
 * Every cue class that matches the text (lowercased and normalised, as the tokens were read),
 * each at its leftmost match, in class order; a class split in two counts once. Only the
 * phrase rules whose gates the text met run their regex.
 */
export function findCues(lowerText: string): CueHit[] {
  const hits: CueHit[] = [];
  if (ready.length === 0 && wordRule.length === 0) return hits;
  bestAt.fill(-1);
  for (let k = 0; k < wordRule.length; k++) offer(RULES[wordRule[k]!]!.cls, wordAt[k]!, wordRule[k]!, wordText[k]!);
  // Insertion sort: a handful of distinct ids, where Array#sort's set-up costs more than the sort.
  for (let a = 1; a < ready.length; a++) {
    const id = ready[a]!;
    let b = a - 1;
    for (; b >= 0 && ready[b]! > id; b--) ready[b + 1] = ready[b]!;
    ready[b + 1] = id;
  }
  let k = 0;
  for (let c = 0; c < CUE_CLASSES.length; c++) {
    const cue = CUE_CLASSES[c]!;
    const repeat = hits.length > 0 && hits[hits.length - 1]!.topic === cue.topic;
    for (; k < ready.length && RULES[ready[k]!]!.cls === c; k++) {
      if (repeat) continue;
      const id = ready[k]!;
      const rule = RULES[id]!.rule as PhraseRule;
      if (rule.needs !== null && !holdsAny(lowerText, rule.needs)) continue;
      const m = rule.pattern.exec(lowerText);
      if (m) offer(c, m.index, id, m[0]);
    }
    if (!repeat && bestAt[c]! >= 0) hits.push({ topic: cue.topic, weight: cue.weight, text: bestText[c]!.trim(), at: bestAt[c]! });
  }
  return hits;
}
