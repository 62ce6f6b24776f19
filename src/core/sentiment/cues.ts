/**
 * Phrase cues: complaints and praise that carry no (or the wrong) sentiment word. Each class
 * is written by the team from customer-service practice across industries (transport,
 * telecom, retail, software, banking); none is mined from labelled data.
 */

/** The topic a cue speaks to; intent is decided from these. */
export type CueTopic =
  | 'waiting' | 'disruption' | 'lost' | 'billing' | 'outage' | 'bug' | 'service' | 'anger'
  | 'sarcasm' | 'rhetorical' | 'urgency' | 'praise' | 'recommend' | 'request' | 'question' | 'letdown'
  | 'unmet' | 'effort' | 'feeling' | 'glad' | 'worst' | 'best' | 'eager' | 'resolved';

export interface CueClass {
  topic: CueTopic;
  /** Tokens without which the pattern cannot match: the pattern runs only when one is present. */
  triggers: readonly string[];
  /** Valence added when the class matches, on the word scale (−5..5). */
  weight: number;
  pattern: RegExp;
}

// Texts arrive lowercased, so no `i` flag (case-folding makes V8's matcher several times slower).
const rx = (parts: string[]): RegExp => new RegExp(`(?:${parts.join('|')})`);

// Time spent, the core of "no sentiment word" complaints: "on hold for 68 minutes",
// "still waiting", "3 hours later", "day 4 without". Written from call-centre and
// delivery-complaint phrasing.
const WAITING = rx([
  String.raw`\b(?:still|been|keep|kept|am|i'm|im) (?:waiting|stuck|sitting|on hold|holding)`,
  String.raw`\bon hold\b`,
  String.raw`\bhold (?:time|music|for)\b`,
  String.raw`\b(?:waiting|waited|wait(?:ing)? time) (?:for|on|over|since|almost|nearly|more|an?)\b`,
  String.raw`\b(?:still|yet to|have yet|haven't|havent|have not|has not|hasn't|never|didn't|did not|don't|do not) (?:\w+ )?(?:hear|heard|received|receive|gotten|arrived|seen|called|responded|answered)\b`,
  String.raw`\b(?:been|keep|kept|still) (?:trying|calling|asking|checking)\b|\btried (?:\w+ )?(?:times|again|calling|to call|everything)\b`,
  String.raw`\bno (?:update|updates|word|news|info|information|response|reply|answer|call ?back|follow[- ]?up)\b`,
  String.raw`\bstill (?:no|not|nothing|waiting|haven't|have not|can't|cannot|unable)\b`,
  String.raw`\bwhere(?:'s| is| are) (?:my|our) \w+`,
]);

// Time spent, counted: the same class, split off so that only texts with a unit of time
// ("hours", "2hrs", "days") or "how long" run it.
const WAITING_TIME = rx([
  // A bare duration ("in 2 weeks") is not a complaint; one spent waiting or lost is.
  String.raw`\b(?:for|over|after|almost|nearly|another|past|been|waited|waiting|wasted|lost|spent) (?:about |over |almost |nearly |like |the (?:last|past) )?(?:\d+|an?|one|two|three|four|five|six|several|many|multiple) ?(?:\+ )?(?:more )?(?:hours?|hrs?|h|minutes?|mins?|days?|weeks?)\b`,
  String.raw`\b(?:\d+|an?|one|two|three|four|five|six|several|many|multiple) ?(?:\+ )?(?:hours?|hrs?|h|minutes?|mins?|days?|weeks?) (?:late|later|delay|delayed|wait|waiting|on hold|and counting|now|without|stuck|on the (?:tarmac|phone|plane|runway))\b`,
  String.raw`\bhour(?:s)? (?:late|later|delay)`,
  String.raw`\b(?:days?|weeks?|hours?) (?:later|now|and counting|without)\b`,
  String.raw`\bhow (?:much )?long\b`,
  String.raw`\b(?:hasn't|haven't|hasnt|havent|has not|have not|not|no \w+) (?:\w+ ){0,3}(?:in|for) (?:over )?(?:a|an|\d+|two|three|several) (?:hours?|days?|weeks?|months?)\b`,
]);

// Trips, orders and appointments that did not happen as sold.
const DISRUPTION = rx([
  String.raw`\bcancel+(?:ed|led|ing|ation)s?\b`,
  String.raw`\bdelay(?:ed|s)?\b`,
  String.raw`\b(?:missed|miss|missing) (?:my |our |the |a )?(?:connection|connecting|flight|train|bus|delivery|appointment|meeting)`,
  String.raw`\bstranded\b|\bstuck (?:in|at|on)\b|\bdiverted\b|\boverbook|\bbumped\b`,
  String.raw`\brebook|\breschedul|\bnever (?:showed|arrived|came|delivered)`,
  String.raw`\b(?:late|no[- ]show|didn't show|did not show|wrong (?:order|item|size|address))\b`,
]);

// Lost, damaged or missing property.
const LOST = rx([
  String.raw`\b(?:lost|missing|damaged|broken|destroyed|stolen|wrong) (?:my |our |the |a |an )?(?:bag|bags|luggage|baggage|suitcase|package|parcel|order|item|delivery|stroller|car ?seat)`,
  String.raw`\b(?:bag|bags|luggage|baggage|suitcase|package|parcel|order)s? (?:is |are |was |were |still |has |have )?(?:lost|missing|damaged|broken|never|not)`,
]);

// Money taken wrongly or owed.
const BILLING = rx([
  String.raw`\brefund`,
  String.raw`\b(?:charged|billed) (?:me )?(?:twice|again|double|two times|for (?:a|an|something)|without)`,
  String.raw`\bdouble[- ]?(?:charged|billed|charge)`,
  String.raw`\bover ?charg|\bhidden fees?\b|\bextra fees?\b|\bbag fees?\b|\bchange fees?\b`,
  String.raw`\bmoney back\b|\bcharge ?back\b|\bdispute (?:the|a) charge`,
  String.raw`\b(?:my|the|a) (?:bill|invoice|statement|card) (?:is|was|shows|says)\b`,
]);

// Services that stopped working.
const OUTAGE = rx([
  String.raw`\b(?:is|are|site|app|website|service|server|servers|system|systems|network) (?:down|offline)\b`,
  String.raw`\bdown again\b|\boutage|\bno (?:service|signal|internet|wifi|wi-fi|power|connection)\b`,
  String.raw`\bnot (?:working|loading|responding)\b|\b(?:doesn't|does not|won't|wont|isn't|can't|cannot|cant) (?:work|load|connect|log ?in|sign ?in|open|book|check ?in)\b`,
]);

// Software faults.
const BUG = rx([
  String.raw`\b(?:bug|bugs|buggy|glitch|glitches|glitchy|error|errors|crash|crashes|crashed|freezes|broken link)\b`,
  String.raw`\berror (?:message|code)\b|\bblank (?:page|screen)\b`,
  String.raw`\bkeeps? (?:crashing|freezing|failing|logging me out)\b`,
]);

// Service failures by people: nobody answers, nobody helps.
const SERVICE = rx([
  String.raw`\b(?:no ?one|nobody|no body) (?:is |will |can |at |to |has |cares|answer|help|respond|pick)`,
  String.raw`\bhung up\b|\bhang(?:ing|s)? up\b|\bdisconnected\b|\btransferred (?:\w+ )?(?:times|again)`,
  String.raw`\b(?:can't|cannot|cant|couldn't) (?:get (?:through|a hold|ahold|anyone|a response|an answer)|reach|speak|talk)`,
  String.raw`\b(?:won't|wont|refuse[sd]?|refusing) (?:to )?(?:help|let|give|refund|honor|answer|respond)`,
  String.raw`\b(?:customer (?:service|support|care)|support team|agent|rep|staff) (?:is|was|are|were) (?:rude|useless|awful|terrible|horrible|unhelpful|a joke)`,
  String.raw`\b(?:worst|terrible|horrible|awful|poor|bad|lousy|zero) (?:customer )?(?:service|experience|support|airline|company)`,
  String.raw`\bno (?:help|explanation|apology|compensation|one|assistance)\b`,
  String.raw`\b(?:dm'?d|emailed|called|tweeted|messaged) (?:you |u )?(?:\w+ )?(?:times|twice|again|days? ago|weeks? ago|hours? ago)`,
  // Calls into the void: "hello??? anyone there?", "please answer the phone".
  String.raw`\b(?:any ?one|anybody|some ?one|somebody) (?:there|home|out there|listening|awake|working there)\b|\bhello\s*\?`,
  // Form letters instead of help: "thanks for your copy and paste response".
  String.raw`\b(?:canned|automated|generic|scripted|copy(?: and | & |-| )paste[d]?) (?:response|reply|answer|message|tweet|email)s?\b`,
  String.raw`\b(?:answer|pick up) (?:the|your|my) (?:phone|phones|calls?|emails?|dms?)\b|\b(?:please|pls|plz) (?:respond|reply|answer|get back to me|call me back)\b`,
]);

// Anger, swearing at the company, and leaving: "never again", "switching to".
const ANGER = rx([
  String.raw`\bnever (?:again|flying|using|buying|ordering|shopping|booking)\b`,
  String.raw`\b(?:switching|moving|going back) to\b|\bcancel(?:ling|ing)? my (?:account|subscription|membership|card)`,
  String.raw`\b(?:officially|so) done\b|\bfed up\b|\bsick (?:of|and tired)\b|\btired of\b|\bhad enough\b|\bdone with\b`,
  String.raw`\bwhat a joke\b|\b(?:is|are) a joke\b|\bshame on\b|\bunbelievable\b|\bget (?:it|your act) together\b`,
  String.raw`\b(?:wtf|ffs|fml|smh|omfg)\b|\bseriously\s*[?!]|\bwhat the (?:hell|heck|fuck)\b`,
  String.raw`\bhow (?:hard|difficult) is it\b|\bis it too much to ask\b|\bwhy (?:is it|would|can't|cant|won't|do you|does|did|are|is)\b`,
  String.raw`#(?:fail|epicfail|neveragain|disappointed|badservice|customerservicefail)\b`,
  String.raw`\blast time (?:i|we) (?:fly|flew|use|book|buy|order|shop)`,
  // Disbelief: "are you kidding me", "you've got to be joking", "is this a joke".
  String.raw`\b(?:are|r) (?:you|u) (?:kidding|serious|joking)\b|\b(?:you've|you have|you) (?:got|gotta) (?:to )?be (?:kidding|joking)\b|\bis this a joke\b`,
  // Taking the business elsewhere, whatever the industry.
  String.raw`\b(?:plenty of|so many) other (?:\w+ )?(?:options|companies|carriers|airlines|providers|banks|stores|brands)\b|\bmy (?:business|money) (?:elsewhere|somewhere else)\b|\b(?:a|to a|from a) competitor\b`,
]);

// Sarcasm and polite anger: thanks/praise that the rest of the sentence denies.
const SARCASM = rx([
  String.raw`\bthanks? (?:a lot |so much )?for (?:nothing|ruining|wasting|making me|the (?:delay|wait|runaround|lack|inconvenience|non))`,
  // Feelings the failure supposedly gave: "makes me feel so valued", "glad you're sorry".
  String.raw`\bmakes? me feel (?:so |very |really )?(?:secure|valued|special|safe|appreciated|important)\b|\bglad (?:you're|you are) sorry\b`,
  String.raw`\b(?:so|how) (?:funny|great|nice|cool|lovely|wonderful) (?:that|how|to)\b`,
  String.raw`\b(?:love|loving|gotta love|got to love|i love) (?:how|that|when) (?:you|your|my|i|the|it|we)\b`,
  String.raw`\b(?:yeah|sure) right\b|\bjust what i needed\b|\bway to go\b|\bgreat job\b.*\b(?:not|no|again)\b`,
  String.raw`(?:#not|#sarcasm|(?:^|\s)\/s)\b|\bthanks? again\b|\bthanks? (?:a lot|for the (?:help|update|response)),? ?\b(?:not|now|but)\b`,
  String.raw`\uD83D[\uDE44\uDE43\uDE12]|\boh (?:great|good|joy|wonderful)\b|\bwhat a (?:great|wonderful|fantastic) (?:way|start)\b`,
]);

// Asking why, or for help, in public: in a mention to a brand this is a problem report
// more often than a neutral question.
const RHETORICAL = rx([
  String.raw`\bwhy\b`,
  String.raw`\b(?:please|pls|plz|someone|somebody|anyone|need (?:some )?) help\b|\bhelp (?:me|us)\b`,
]);

// Urgency: deadlines and people affected.
const URGENCY = rx([
  String.raw`\b(?:asap|urgent|urgently|immediately|right now|emergency)\b`,
  String.raw`\b(?:need|needs) (?:help|an answer|a response|this fixed|to get|to be)\b`,
  String.raw`\b(?:my|our) (?:kids?|baby|wife|husband|mom|dad|mother|father|family)\b.*\b(?:stuck|stranded|waiting|missed|sick)\b`,
  String.raw`\b(?:medical|wheelchair|disabled|funeral|wedding)\b`,
]);

// Praise and thanks that name what went well.
const PRAISE = rx([
  String.raw`\bthank(?:s| you)(?: so much| a lot| again)? (?:for|to)\b(?! (?:nothing|ruining|wasting|the (?:delay|wait)))`,
  String.raw`\b(?:great|amazing|awesome|excellent|fantastic|wonderful|outstanding|best|superb|friendly|helpful) (?:job|work|service|crew|staff|team|experience|flight|support|customer service|people|agent|pilot)`,
  String.raw`\b(?:you|y'all|you guys|u guys) (?:rock|are (?:the best|awesome|amazing|great))\b`,
  String.raw`\b(?:well done|nice work|good job|great job|shout ?out|hats off|props to|kudos)\b`,
  String.raw`\b(?:made|make|making) my (?:day|week|morning|trip)\b|\b(?:above and beyond)\b`,
  String.raw`\b(?:love|loved|loving) (?:the|this|your|my|it|you|flying)\b`,
]);

// Word of mouth: the customer recommends the brand to others.
const RECOMMEND = rx([
  String.raw`\b(?:highly |definitely |totally )?recommend(?:ed|ing)?\b(?! (?:you|that you))`,
  String.raw`\b(?:will|would|can't wait to) (?:definitely )?(?:fly|use|book|buy|shop|order) (?:with )?(?:you |u |them )?again\b`,
  String.raw`\bbest (?:airline|company|app|service|brand|customer service) (?:ever|around|in)\b`,
  String.raw`\bshould have (?:done|switched|joined|signed up|moved)\b[^.!?]{0,20}\b(?:ago|sooner|earlier)\b`,
  String.raw`\b(?:my go-to|go to airline|loyal customer for life|customer for life|10\/10|5 stars|five stars)\b`,
]);

// Let-downs said politely: what should have happened, what is lacking, what is owed.
// From complaint letters and support tickets, where customers hedge rather than swear:
// "would have appreciated a heads up", "used to be my go-to", "zero communication",
// "not a single update", "I want my bags", "expected better".
const LETDOWN = rx([
  String.raw`\b(?:would|could|should|might)(?: have|'ve| of) (?:been )?(?:nice|great|good|helpful|appreciated|better|courteous|professional)\b`,
  String.raw`\bwould(?:'ve| have) (?:appreciated|liked|loved|preferred|expected)\b|\b(?:i|we) (?:expected|expect) (?:more|better)\b`,
  String.raw`\bused to (?:be|love|like|enjoy|trust)\b|\bnot what (?:it|you) used to\b`,
  String.raw`\b(?:lack|lacking|absence) of\b|\b(?:zero|no|poor|lack of) (?:communication|accountability|compassion|empathy|courtesy|urgency|notice)\b`,
  String.raw`\bnot (?:a|one|a single) (?:word|update|call|email|bag|person|agent|apology|response|reply|thing)\b`,
  String.raw`\b(?:i|we) (?:want|demand|deserve) (?:my|our|an? (?:answer|explanation|refund|apology)|answers|compensation|to (?:speak|talk) to)\b`,
  String.raw`\bgive (?:me|us) (?:my|our) \w+ back\b|\b(?:what|who) (?:do|should|am) i (?:even )?(?:supposed to )?(?:talk to|call)\b`,
]);

// Requests for features, not faults.
const REQUEST = rx([
  String.raw`\b(?:please|pls|plz) (?:add|bring back|make|consider|let us|allow|offer|support)\b`,
  String.raw`\b(?:would|it'd|it would) be (?:nice|great|cool|awesome|helpful) (?:if|to)\b`,
  String.raw`\b(?:feature request|any plans to|are you planning|when will you (?:add|support|offer)|you should (?:add|offer|make))\b`,
  String.raw`\bwish (?:you|there was|there were|it had|i could)\b`,
  String.raw`\bthat(?:'d| would) be (?:nice|great|cool|awesome|helpful|amazing)\b`,
]);

const words = (list: string): string[] => list.split(' ');

/** Token standing for a number with a time unit ("2hrs", "45mins"), a waiting trigger. */
export const DURATION_TRIGGER = '#dur';

/** The cue classes in the order their evidence is shown. */
export const CUE_CLASSES: readonly CueClass[] = [
  { topic: 'sarcasm', weight: -3, pattern: SARCASM, triggers: words('\u{1F644} \u{1F643} \u{1F612} feel glad funny great nice cool lovely wonderful fantastic love loving thanks thank yeah sure needed way #not #sarcasm s oh') },
  { topic: 'anger', weight: -2.5, pattern: ANGER, triggers: words('officially seriously never last switching moving back cancel cancelling canceling fed sick tired enough done joke shame unbelievable together wtf ffs fml smh omfg hell heck fuck hard difficult ask why kidding joking serious joke plenty many business money competitor #fail #epicfail #neveragain #disappointed #badservice #customerservicefail') },
  { topic: 'lost', weight: -2.5, pattern: LOST, triggers: words('lost missing damaged broken destroyed stolen wrong bag bags luggage baggage suitcase package parcel order') },
  { topic: 'billing', weight: -1.5, pattern: BILLING, triggers: words('refundable refund refunds refunded refunding charged billed double overcharged overcharge overcharging charge charges fee fees money chargeback dispute bill invoice statement card') },
  { topic: 'outage', weight: -2, pattern: OUTAGE, triggers: words('down offline outage outages service signal internet wifi wi power connection working loading responding work load connect log login sign signin checkin open book check') },
  { topic: 'bug', weight: -1, pattern: BUG, triggers: words('keep keeps bug bugs buggy glitch glitches glitchy error errors crash crashes crashed crashing freezes freezing failing broken blank') },
  { topic: 'disruption', weight: -1.25, pattern: DISRUPTION, triggers: words('cancelled canceled cancelling canceling cancellation cancellations cancelation cancelations cancelld delay delayed delays missed miss missing stranded stuck diverted overbooked overbook overbooking bumped rebook rebooks rebooked rebooking reschedule rescheduled rescheduling late show showed arrived came delivered wrong') },
  { topic: 'waiting', weight: -2, pattern: WAITING, triggers: words("still been keep kept waiting waited wait stuck sitting hold holding hear heard received receive gotten arrived seen called responded answered trying calling asking checking tried update updates word news info information response reply answer call callback follow where where's") },
  { topic: 'waiting', weight: -2, pattern: WAITING_TIME, triggers: words('long hour hours hr hrs h minutes minute mins min days day weeks week months month #dur') },
  { topic: 'service', weight: -2.5, pattern: SERVICE, triggers: words("canned automated generic scripted copy hello anybody someone somebody pick respond back nobody one body anyone response answer hung hang hanging hangs disconnected transferred through reach speak talk won't wont refuse refused refuses refusing customer support agent rep staff worst terrible horrible awful poor bad lousy zero help explanation apology compensation assistance dm'd dmd emailed called tweeted messaged") },
  { topic: 'letdown', weight: -2, pattern: LETDOWN, triggers: words("would could should might would've could've should've might've used expected expect lack lacking absence communication accountability compassion empathy courtesy urgency notice word update call email bag person agent apology response reply thing want demand deserve give talk") },
  { topic: 'rhetorical', weight: -1.5, pattern: RHETORICAL, triggers: words('why help') },
  { topic: 'urgency', weight: -1, pattern: URGENCY, triggers: words('asap urgent urgently immediately right emergency need needs stuck stranded waiting missed sick medical wheelchair disabled funeral wedding') },
  { topic: 'request', weight: 0, pattern: REQUEST, triggers: words("add bring consider allow offer support make let nice great cool awesome helpful amazing feature plans planning should wish") },
  { topic: 'recommend', weight: 2.5, pattern: RECOMMEND, triggers: words('should recommend recommended recommending again best go loyal life stars') },
  { topic: 'praise', weight: 1.5, pattern: PRAISE, triggers: words('thanks thank great amazing awesome excellent fantastic wonderful outstanding best superb friendly helpful rock well nice good shout shoutout hats props kudos day week morning trip above love loved loving') },
];

export interface CueHit {
  topic: CueTopic;
  weight: number;
  /** The matched words, for the card. */
  text: string;
}

// Trigger word → bit mask of the classes it can start, so a text runs only the few
// patterns its words make possible (the main cost of the pass otherwise).
const TRIGGERS = new Map<string, number>();
CUE_CLASSES.forEach((cue, bit) => {
  for (const w of cue.triggers) TRIGGERS.set(w, (TRIGGERS.get(w) ?? 0) | (1 << bit));
});

/** Bit mask of the cue classes a token (lowercase word, `#tag`, or `DURATION_TRIGGER`) can trigger. */
export function triggerMask(token: string): number {
  return TRIGGERS.get(token) ?? 0;
}


/**
 * Every cue class that matches the lowercased, normalised text, with the words that matched.
 * `mask` (the OR of `triggerMask` over the text's tokens) skips classes none of whose trigger words occur.
 */
export function findCues(lowerText: string, mask = -1): CueHit[] {
  const hits: CueHit[] = [];
  for (let bit = 0; bit < CUE_CLASSES.length; bit++) {
    if ((mask & (1 << bit)) === 0) continue;
    const cue = CUE_CLASSES[bit]!;
    // A class split in two for speed counts once.
    if (hits.length > 0 && hits[hits.length - 1]!.topic === cue.topic) continue;
    const m = cue.pattern.exec(lowerText);
    if (m) hits.push({ topic: cue.topic, weight: cue.weight, text: m[0].trim() });
  }
  return hits;
}
