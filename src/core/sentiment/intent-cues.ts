import { type CueClass, type CueRule, type CueTopic, phrase, word } from './cue-pattern.js';

/**
 * Intent cue classes: what a mention asks the team to do, as opposed to how the author
 * feels. Every class weighs 0 and has a topic of its own, which weigh-evidence.ts never
 * reads, so these cues decide intent (intent.ts) and leave the mood exactly as it was.
 * Written by the team from the wording of support tickets, bug trackers, status-page
 * threads and feature boards of software and online services in general; none is mined
 * from labelled data. Regexes stay linear: no quantified group holds another quantifier
 * that could match the same text two ways (tests/unit/hostile-input.test.ts).
 */

const cls = (topic: CueTopic, rules: CueRule[]): CueClass => ({ topic, weight: 0, rules });
const r = String.raw;
const CODES = '(?:500|502|404|400|401|403|422|429|504)';

/**
 * One feature misbehaving: the vocabulary of a bug tracker. "crashes", "throws a 500",
 * "printed blank", "stuck on 99%", "keeps failing", "error 0x8007…". From issue templates
 * ("what happened instead?") and app-store reviews. A negated action ("won't print",
 * "fails to save") is a sequence cue (token-cues.ts): negations are common, and a token
 * sequence costs less than a regex each of them would gate.
 *
 * Gates are the rare word of each phrase alone: a common gate word ("i", "on", "the")
 * saves no regex run but costs a lookup on nearly every text. For the same reason the
 * patterns open on that rare word and check the words before it in a lookbehind: a
 * pattern that opens on an alternation of common words is tried at every position.
 */
export const FAULT = cls('fault', [
  word(r`\b(?:crash|crashes|crashed|crashing|glitch|glitches|glitched|glitching|glitchy|bug|bugs|buggy|bugged|regression|freezes|freezing|froze|unresponsive)\b`),
  word(r`\berror(?:s|ed|ing)?\b`),
  // HTTP and application error codes said as such: "throws a 500", "502s on /v2/rates",
  // "error 404"; a bare number ("500 free tokens") is not one.
  phrase(['500 502 404 400 401 403 422 429 504 500s 502s 404s 504s'],
    r`\b${CODES}s?\b(?:(?<=\b(?:an?|returns?|returning|returned|throws?|throwing|threw|gets?|getting|got|gives?|giving|http|error|status|code) (?:\w+ )?\d{3}s?)| (?:error|errors|on|from|when|for)\b)`),
  word(r`\b0x[0-9a-f]{4,}\b`),
  phrase(['broken'], r`\bbroken\b(?:(?<=\b(?:is|are|was|were|seems|looks|got|been|still|totally|completely) broken)| (?:since|again|after|on|in|for|link|links|page|button|image|images)\b)`),
  phrase(['blank empty'],
    r`\b(?:blank|empty)\b(?:(?<=\b(?:prints?|printed|printing|comes out|came out) (?:\w+ )?(?:blank|empty))| (?:page|screen|pdf|labels?|output)\b)`),
  phrase(['stuck'], r`\bstuck (?:on|at) (?:the |a )?(?:loading|\d+ ?%|\w+ (?:screen|page))|\bstuck loading\b`),
  phrase(['keep keeps kept', 'failing crashing freezing logging resetting reloading spinning timing throwing'],
    r`\bkeeps? (?:failing|crashing|freezing|logging (?:me|us) out|resetting|reloading|spinning|timing out|throwing)\b`),
  phrase(['logs logged kicks kicked signs'], r`\b(?:logs|logged|kicks|kicked|signs) (?:me|us) out\b`),
  phrase(['wrong', 'shows show showing displays display picks pick uses use prints print'],
    r`\bwrong (?:month|date|time|size|totals?|amount|format|page|price|language|currency)\b(?<=\b(?:shows?|showing|displays?|picks?|uses?|prints?) (?:the |a )?wrong \w+)`),
  phrase(['sync'], r`\bout of sync\b`),
  phrase(['greyed grayed'], r`\b(?:greyed|grayed) out\b`),
  phrase(['times timed timing', 'out'], r`\btim(?:es|ed|ing) out\b`),
  // When it started and what was tried: "since the last update", "after the 4.2 patch",
  // "stopped syncing", "reinstalled twice", "screenshots attached", "still happening".
  phrase(['update updates updated upgrade patch release version'],
    r`\b(?:since|after) (?:the|this|your|today's|yesterday's|last|latest|new|an?) (?:\S+ )?(?:update|upgrade|patch|release|version)\b`),
  phrase(['stopped'], r`\bstopped (?:working|syncing|loading|updating|showing|saving|connecting|responding)\b`),
  word(r`\b(?:reinstalled|reinstalling|reinstall|re-installed)\b`),
  phrase(['attached below', 'screenshot screenshots recording video'], r`\b(?:screenshots?|screen recording|video) (?:attached|below)\b`),
  phrase(['happening'], r`\b(?:still|keeps) happening\b`),
  phrase(['expired wrong later', 'session something try'], r`\bsession expired\b|\bsomething went wrong\b|\btry again later\b`),
  // What a screen does instead of working: "the payment page just reloads", "the toggle does nothing".
  phrase(['reloads refreshes spins hangs loops', 'just only'], r`\b(?:just|only) (?:reloads|refreshes|spins|hangs|loops)\b`),
  phrase(['nothing', 'does did'], r`\b(?:button|toggle|link|switch|option|setting|tapping|clicking|tap|click|it) (?:\S+ +){0,2}?(?:does|did) nothing\b`),
  phrase(['returns return returned', 'nothing no empty'], r`\breturns? (?:nothing|no results|an empty)\b`),
  phrase(['cuts cutting', 'off out'], r`\bcuts (?:off|out)\b|\bkeeps cutting (?:off|out)\b|\bcutting out\b`),
  phrase(['reset resets', 'zero 0'], r`\bresets? (?:itself |my \S+ )?to (?:zero|0)\b`),
  // It says one thing and the truth is another: "voicemail says 3 new messages but there's nothing there".
  phrase(['shows show says displays', 'but'], r`\b(?:shows?|says|displays?) (?:\S+ +){1,5}?but (?:there's|there is|it's|nothing|the \S+ (?:is|are))\b`),
  // A release or a change that breaks something: "3.2.0 breaks on Python 3.9", "the update
  // broke my exports", "breaks again after login" (not "breaks my heart", "broke the news",
  // "broke the internet": praise and news).
  phrase(['breaks broke'], r`\b(?:breaks|broke) (?:on|when|with|after|again|everything)\b|\b(?:breaks|broke) (?:my|our|the) (?!hearts?\b|news\b|records?\b|internet\b|bank\b|silence\b|ice\b)\w+`),
  // A fault that comes back each time: "dark mode resets every time I restart", "it logs me out every time".
  phrase(['resets reset reverts reverted disappears closes freezes crashes out', 'every', 'time'],
    r`\b(?:resets?|reverts?|reverted|disappears|closes|freezes|crashes|logs (?:me|us) out) (?:\S+ ){0,2}?every time\b`),
  // Data the product lost, not the author: "the update wiped my saved filters" (not "I wiped my phone").
  phrase(['wiped erased'], r`(?<!\b(?:i|we|i've|we've|i just|we just) )\b(?:wiped|erased) (?:out )?(?:all )?(?:of )?(?:my|our)\b`),
  phrase(['disappeared vanished missing'], r`\b(?:data|history|runs?|files?|photos|notes|messages|progress|settings|playlists?|saves?|posts?|boards?|tasks?|workouts?) (?:have |has |just )?(?:disappeared|vanished|gone missing)\b`),
]);

/**
 * Many users at once: the wording of status-page threads. "is X down?", "down for anyone
 * else?", "status page", "the whole site", "everyone in the discord". A single symptom
 * ("won't load") with one of these is an outage; without, a bug.
 */
export const WIDESPREAD = cls('widespread', [
  word(r`\b(?:outage|outages)\b`),
  // Not a bare "offline": "offline mode" is a wish.
  phrase(['offline'], r`\boffline\b(?<=\b(?:went|gone|go|been|still|is|are) offline)`),
  // "is it down", "api down", "@acme down during our sale", "down for anyone", "down?".
  phrase(['down'], r`\bdown\b(?:(?<=(?:\b(?:is|are|it's|its|site|app|website|service|server|servers|system|api|everything|still|completely|totally|whole)|@\S+) (?:\S+ )?down)| (?:for|again|right now|everywhere|today|since|during)\b|\s*\?)`),
  phrase(['status'], r`\bstatus page\b`),
  phrase(['anyone anybody everyone everybody', 'else'], r`\b(?:anyone|anybody|everyone|everybody) else\b`),
  phrase(['anyone nobody everyone everybody'], r`\b(?:anyone|everyone|everybody)\b(?<=\b(?:for|on|in) \w+)(?! in (?:my|our|the) (?:team|party|group|family|squad|guild|household|class)\b)|\bnobody (?:on|in|at) (?:my|our|the) (?:team|office|company|house|street|building)\b`),
  phrase(['whole entire'],
    r`\b(?:whole|entire) (?:site|app|neighbou?rhood|city|area|region|street|building|office|team)\b`),
  phrase(['across'], r`\bout across\b`),
  phrase(['having', 'issues problems trouble'], r`\bhaving (?:issues|problems|trouble)\b(?<=\b(?:is|are) \S+ having \w+)`),
  phrase(['503'], r`\b503s?\b`),
]);

/**
 * Money taken: charges and refunds. From billing-support queues: "charged twice", "still
 * waiting on my refund", "my bill is $40 higher", "the free trial converted".
 */
export const MONEY = cls('money', [
  word(r`\b(?:charged|charges|overcharged|refund|refunds|refunded|billed|chargeback)\b`),
  phrase(['bill bills'], r`\bbills?\b(?<=\b(?:my|the|your|a|this) (?:\w+ )?bills?)`),
  phrase(['trial'], r`\btrial (?:converted|turned|became|was charged)\b`),
  phrase(['price prices pricing'], r`\b(?:prices?|pricing) (?:went up|hike|increase|increased|going up|doubled)\b`),
]);

/**
 * The account's paperwork: invoices, receipts, plans, subscriptions, prices. Billing when
 * nothing misbehaves ("where do I download my receipts?"); where a fault is named ("the
 * invoice preview is broken"), the place a bug shows up.
 */
export const PLAN = cls('plan', [
  word(r`\b(?:invoice|invoices|invoiced|receipt|receipts|subscription|subscriptions|billing|pricing|prorated|renewal)\b`),
  phrase(['debit'], r`\bdirect debit\b`),
  phrase(['cancel cancelling canceling', 'plan account membership trial'], r`\bcancel(?:ling|ing)? (?:my|our|the) (?:\w+ )?(?:plan|account|membership|trial)\b`),
  phrase(['monthly annual yearly'], r`\b(?:monthly|annual|yearly) plan\b`),
]);

/**
 * Asking for something the product does not do yet: the phrasing of feature boards and
 * "would be nice" threads. "please add", "would love a", "feature request", "can you add",
 * "bring back", "why can't I add…".
 */
export const WISH = cls('wish', [
  phrase(['please pls plz', 'add bring make let allow support give'], r`\b(?:please|pls|plz) (?:add|bring back|make|let (?:me|us)|allow|support|give (?:me|us))\b`),
  phrase(['would', 'love'], r`\bwould love (?:a|an|to see|to have|it if|if|some|more|the option)\b`),
  phrase(['cool nice great awesome useful helpful handy', "would it'd"], r`\b(?:it'd|would) be (?:really |so )?(?:cool|nice|great|awesome|useful|helpful|handy) (?:if|to)\b`),
  phrase(['feature'], r`\bfeature (?:request|wish|idea|suggestion)\b`),
  phrase(['add support build', 'can could will'], r`\b(?:add|support|build)\b(?<=\b(?:can|could|will) (?:you|u|y'all) (?:please )?\w+)`),
  phrase(['plans plan planning'], r`\bany plans? (?:to|for|on)\b|\bplanning to (?:add|support)\b`),
  phrase(['bring'], r`\bbring back\b`),
  phrase(['wish'], r`\bwish (?:\S+ ){0,2}(?:had|could|would|was|were)\b`),
  phrase(['pay', 'would'], r`\bwould (?:happily |gladly )?pay (?:extra )?for\b`),
  // "any chance of round-ups going into the ISA?", "could you show the dimensions?", "let me set my own zones".
  phrase(['chance', 'any'], r`\bany chance (?:of|you(?:'ll| will| could| can)?|we(?:'ll| could| can)?)\b`),
  phrase(['could can would', 'add show let make include offer support bring allow'],
    r`\b(?:could|can|would) (?:you|y'all|u) (?:please |guys )?(?:add|show|let (?:me|us)(?! know\b)|make it|include|offer|support|bring|allow)\b`),
  phrase(['let', 'please pls plz'], r`\b(?:please|pls|plz) let (?:\S+ +){0,3}?(?:be|me|us|have|use|choose|pick|set|change|turn|edit|export|pay)\b`),
  phrase(['let', 'set choose pick change turn edit export use hide pay add'], r`(?:^|[.!?,] +|@\S+ +)let (?:me|us) (?:set|choose|pick|change|turn|edit|export|use|hide|pay|add)\b`),
  phrase(['nice great good handy useful', 'would'], r`\b(?:would|it'd) be (?:really |so )?(?:nice|great|good|handy|useful)\b(?! (?:if (?:you|they) (?:actually|bothered|could just)))`),
  phrase(['why', "can't cannot"], r`\bwhy can(?:'t|not) (?:i|we) (?:add|have|set|export|choose|pick|use more|change the)\b`),
  phrase(['option way setting toggle button', 'need want'], r`\b(?:option|way|setting|toggle|button) to\b(?<=\b(?:need|want) an? \w+ to)`),
]);

/**
 * A plain how-to or capability question: "how do I…", "is there a way to…", "does it work
 * with…", "can I…", "where can I find…". From help-centre search logs and FAQ headings.
 */
export const HOWTO = cls('howto', [
  phrase(['how'], r`\bhow (?:do|can|does|would|should) (?:i|we|you|one|it)\b`),
  phrase(['way', 'there'], r`\bis there (?:a|any) way\b`),
  phrase(['where'], r`\bwhere (?:do|can|would) (?:i|we) (?:\w+ )?(?:find|download|change|get|see)\b`),
  // Opening the text (after a handle): "does @acme support…", "do you ship to…".
  phrase(['support offer ship'], r`^(?:\S+ )?(?:does|do) \S+ (?:\S+ )?(?:work with|support|have|offer|ship to|ship)\b`),
  phrase(['max maximum limit minimum difference'], r`\bwhat(?:'s| is) the (?:max|maximum|limit|minimum|difference)\b`),
  phrase(['happens'], r`\bwhat happens (?:to|if|when)\b`),
]);

/** The intent classes, appended after the mood classes so that their evidence shows last. */
export const INTENT_CLASSES: readonly CueClass[] = [FAULT, WIDESPREAD, MONEY, PLAN, WISH, HOWTO];
