import { type CueClass, type CueRule, type CueTopic, phrase, word } from './cue-pattern.js';

/**
 * Complaint cue classes: failures that carry no (or the wrong) sentiment word. Each class is
 * written by the team from customer-service practice across industries (transport,
 * telecom, retail, software, banking); none is mined from labelled data. A one-word rule
 * (`word`) costs nothing per text; a phrase rule runs only when its gate words occur.
 */

const cls = (topic: CueTopic, weight: number, rules: CueRule[]): CueClass => ({ topic, weight, rules });
const r = String.raw;

const NUMBER_WORDS = '(?:\\d+|an?|one|two|three|four|five|six|several|many|multiple)';
const UNITS = '(?:hours?|hrs?|h|minutes?|mins?|days?|weeks?)';
const UNIT_GATE = 'hour hours hr hrs h minute minutes min mins day days week weeks #dur';

/**
 * Time spent, the core of "no sentiment word" complaints: "on hold for 68 minutes",
 * "still waiting", "3 hours later", "day 4 without". Written from call-centre and
 * delivery-complaint phrasing.
 */
export const WAITING = cls('waiting', -2, [
  phrase(["still been keep kept am i'm im", 'waiting* stuck* sitting* hold*'], r`\b(?:still|been|keep|kept|am|i'm|im) (?:waiting|stuck|sitting|on hold|holding)`),
  phrase(['hold', 'on'], r`\bon hold\b`),
  phrase(['hold', 'time music for'], r`\bhold (?:time|music|for)\b`),
  phrase(['waiting waited wait', 'for on over since almost nearly more a an'], r`(?<!\b(?:never|barely|hardly|not|haven't|havent|didn't|don't) (?:(?:had|have|had to|have to|ever) )?)\b(?:waiting|waited|wait(?:ing)? time) (?:for|on|over|since|almost|nearly|more|an?)\b`),
  phrase(['hear heard received receive gotten arrived seen called responded answered', "still yet haven't havent not hasn't never didn't don't"],
    r`\b(?:still|yet to|have yet|haven't|havent|have not|has not|hasn't|never|didn't|did not|don't|do not) (?:\w+ )?(?:hear|heard|received|receive|gotten|arrived|seen|called|responded|answered)\b`),
  phrase(['been keep kept still', 'trying calling asking checking'], r`\b(?:been|keep|kept|still) (?:trying|calling|asking|checking)\b`),
  phrase(['tried', 'times again calling call everything'], r`\btried (?:\w+ )?(?:times|again|calling|to call|everything)\b`),
  phrase(['no', 'update updates word news info information response reply answer call callback follow followup'], r`\bno (?:update|updates|word|news|info|information|response|reply|answer|call ?back|follow[- ]?up)\b`),
  phrase(['still', "no not nothing waiting haven't have can't cannot unable"], r`\bstill (?:no|not|nothing|waiting|haven't|have not|can't|cannot|unable)\b`),
  phrase(["where where's", 'my our'], r`\bwhere(?:'s| is| are) (?:my|our) \w+`),
]);

/**
 * Time spent, counted: the same class, kept apart so that its evidence comes second.
 */
export const WAITING_TIME = cls('waiting', -2, [
  // A bare duration ("in 2 weeks") is not a complaint; one spent waiting or lost is.
  phrase(['for over after almost nearly another past been waited waiting wasted lost spent', UNIT_GATE],
    r`\b(?:for|over|after|almost|nearly|another|past|been|waited|waiting|wasted|lost|spent) (?:about |over |almost |nearly |like |the (?:last|past) )?${NUMBER_WORDS} ?(?:\+ )?(?:more )?${UNITS}\b`),
  phrase([UNIT_GATE, 'late later delay delayed wait waiting now without stuck hold counting tarmac phone plane runway'],
    r`\b${NUMBER_WORDS} ?(?:\+ )?${UNITS} (?:late|later|delay|delayed|wait|waiting|on hold|and counting|now|without|stuck|on the (?:tarmac|phone|plane|runway))\b`),
  phrase(['hour hours', 'late* delay*'], r`\bhour(?:s)? (?:late|later|delay)`),
  phrase(['day days week weeks hour hours', 'later now counting without'], r`\b(?:days?|weeks?|hours?) (?:later|now|and counting|without)\b`),
  phrase(['how', 'long'], r`\bhow (?:much )?long\b`),
  // A running count and time spent on the failure itself: "16 days and counting", "3 hours of
  // sitting on the tarmac". From delivery and call-centre complaints (round 5).
  phrase(['counting', 'and'], r`\band counting\b`),
  phrase([UNIT_GATE, 'sitting waiting delay delays hold standing circling'],
    r`\b${NUMBER_WORDS} ?(?:\+ )?${UNITS} of (?:sitting|waiting|delays?|hold|being on hold|standing|circling)\b`),
  phrase(['hour hours day days week weeks month months', "hasn't haven't hasnt havent not no", 'in for'],
    r`\b(?:hasn't|haven't|hasnt|havent|has not|have not|not|no \w+) (?:\w+ ){0,3}(?:in|for) (?:over )?(?:a|an|\d+|two|three|several) (?:hours?|days?|weeks?|months?)\b`),
]);

/**
 * Trips, orders and appointments that did not happen as sold.
 */
export const DISRUPTION = cls('disruption', -1.25, [
  word(r`\bcancel+(?:ed|led|ing|ation)s?\b`),
  word(r`\bdelay(?:ed|s)?\b`),
  phrase(['missed miss missing', 'connection* connecting flight* train* bus* delivery* appointment* meeting*'],
    r`\b(?:missed|miss|missing) (?:my |our |the |a )?(?:connection|connecting|flight|train|bus|delivery|appointment|meeting)`),
  word(r`\bstranded\b`),
  phrase(['stuck', 'in at on'], r`\bstuck (?:in|at|on)\b`),
  word(r`\bdiverted\b`),
  word(r`\boverbook`),
  word(r`\bbumped\b`),
  word(r`\brebook`),
  word(r`\breschedul`),
  phrase(['never', 'showed* arrived* came* delivered*'], r`\bnever (?:showed|arrived|came|delivered)`),
  word(r`\blate\b`),
  phrase(['no', 'show'], r`\bno[- ]show\b`),
  phrase(['show', "didn't did"], r`\b(?:didn't show|did not show)\b`),
  phrase(['wrong', 'order item size address'], r`\bwrong (?:order|item|size|address)\b`),
]);

/**
 * Lost, damaged or missing property.
 */
export const LOST = cls('lost', -2.5, [
  // The product destroying the customer's work: "ate my board", "wiped all my data".
  phrase(['ate deleted wiped erased lost', 'my'], r`\b(?:ate|deleted|wiped|erased|lost) (?:all (?:of )?|\S+ (?:years?|months?|weeks?|days?) of )?my (?:\S+ )?(?:board|boards|files?|data|work|history|photos|progress|saves?|notes|messages|documents|projects?)\b`),
  phrase(['lost missing damaged broken destroyed stolen wrong', 'bag* luggage* baggage* suitcase* package* parcel* order* item* delivery* stroller* car carseat*'],
    r`\b(?:lost|missing|damaged|broken|destroyed|stolen|wrong) (?:my |our |the |a |an )?(?:bag|bags|luggage|baggage|suitcase|package|parcel|order|item|delivery|stroller|car ?seat)`),
  phrase(['bag bags bagss luggage luggages baggage baggages suitcase suitcases package packages parcel parcels order orders', 'lost* missing* damaged* broken* never* not*'],
    r`\b(?:bag|bags|luggage|baggage|suitcase|package|parcel|order)s? (?:is |are |was |were |still |has |have )?(?:lost|missing|damaged|broken|never|not)`),
]);

/**
 * Money taken wrongly or owed.
 */
export const BILLING = cls('billing', -1.5, [
  word(r`\brefund`),
  phrase(['charged billed', 'twice* again* double* two for without*'], r`\b(?:charged|billed) (?:me )?(?:twice|again|double|two times|for (?:a|an|something)|without)`),
  word(r`\bdouble(?:charged|billed|charge)`),
  phrase(['double', 'billed* charge*'], r`\bdouble[- ](?:charged|billed|charge)`),
  word(r`\bovercharg`),
  phrase(['over', 'charg*'], r`\bover charg`),
  phrase(['fee fees', 'hidden extra bag change'], r`\b(?:hidden|extra|bag|change) fees?\b`),
  phrase(['money', 'back'], r`\bmoney back\b`),
  word(r`\bchargeback\b`),
  phrase(['charge', 'back'], r`\bcharge back\b`),
  phrase(['dispute', 'charge*'], r`\bdispute (?:the|a) charge`),
  phrase(['bill invoice statement card', 'is was shows says'], r`\b(?:my|the|a) (?:bill|invoice|statement|card) (?:is|was|shows|says)\b`),
]);

/**
 * Services that stopped working.
 */
export const OUTAGE = cls('outage', -2, [
  phrase(['down offline', 'is are site app website service server servers system systems network'], r`\b(?:is|are|site|app|website|service|server|servers|system|systems|network) (?:down|offline)\b`),
  phrase(['down', 'again'], r`\bdown again\b`),
  word(r`\boutage`),
  phrase(['no', 'service signal internet wifi wi power connection'], r`\bno (?:service|signal|internet|wifi|wi-fi|power|connection)\b`),
  phrase(['not', 'working loading responding'], r`\bnot (?:working|loading|responding)\b`),
  phrase(["doesn't not won't wont isn't can't cannot cant", 'work load connect log login sign signin open book check checkin'],
    r`\b(?:doesn't|does not|won't|wont|isn't|can't|cannot|cant) (?:work|load|connect|log ?in|sign ?in|open|book|check ?in)\b`),
]);

/**
 * Software faults.
 */
export const BUG = cls('bug', -1, [
  word(r`\b(?:bug|bugs|buggy|glitch|glitches|glitchy|error|errors|crash|crashes|crashed|freezes)\b`),
  phrase(['broken', 'link'], r`\bbroken link\b`),
  phrase(['error', 'message code'], r`\berror (?:message|code)\b`),
  phrase(['blank', 'page screen'], r`\bblank (?:page|screen)\b`),
  phrase(['keep keeps', 'crashing freezing failing logging'], r`\bkeeps? (?:crashing|freezing|failing|logging me out)\b`),
]);

/**
 * Service failures by people: nobody answers, nobody helps.
 */
export const SERVICE = cls('service', -2.5, [
  phrase(['noone one nobody body', 'is will can at to has cares* answer* help* respond* pick*'], r`\b(?:no ?one|nobody|no body) (?:is |will |can |at |to |has (?!complained|asked to (?:go|switch) back|missed|looked back|had (?:a|any) (?:problem|issue|complaint))|cares|answer|help|respond|pick)`, ['no one', 'noone', 'nobody', 'no body']),
  phrase(['hung hang hanging hangs', 'up'], r`\bhung up\b|\bhang(?:ing|s)? up\b`),
  word(r`\bdisconnected\b`),
  phrase(['transferred', 'times* again*'], r`\btransferred (?:\w+ )?(?:times|again)`),
  phrase(["can't cannot cant couldn't", 'get reach* speak* talk*'], r`\b(?:can't|cannot|cant|couldn't) (?:get (?:through|a hold|ahold|anyone|a response|an answer)|reach|speak|talk)`),
  phrase(["won't wont refuse refused refuses refusing", 'help* let* give* refund* honor* answer* respond*'], r`\b(?:won't|wont|refuse[sd]?|refusing) (?:to )?(?:help|let|give|refund|honor|answer|respond)`),
  phrase(['service support care team agent rep staff', 'is was are were', 'rude* useless* awful* terrible* horrible* unhelpful* joke*'],
    r`\b(?:customer (?:service|support|care)|support team|agent|rep|staff) (?:is|was|are|were) (?:rude|useless|awful|terrible|horrible|unhelpful|a joke)`),
  phrase(['worst terrible horrible awful poor bad lousy zero', 'service* experience* support* airline* company*'], r`\b(?:worst|terrible|horrible|awful|poor|bad|lousy|zero) (?:customer )?(?:service|experience|support|airline|company)`),
  phrase(['no', 'help explanation apology compensation one assistance'], r`\bno (?:help|explanation|apology|compensation|one|assistance)\b`),
  phrase(["dm'd dmd emailed called tweeted messaged", 'times* twice* again* ago*'], r`\b(?:dm'?d|emailed|called|tweeted|messaged) (?:you |u )?(?:\w+ )?(?:times|twice|again|days? ago|weeks? ago|hours? ago)`),
  // Calls into the void: "hello??? anyone there?", "please answer the phone".
  phrase(['anyone one anybody someone somebody', 'there home listening awake'], r`\b(?:any ?one|anybody|some ?one|somebody) (?:there|home|out there|listening|awake|working there)\b`),
  phrase(['hello'], r`\bhello\s*\?`),
  // Form letters instead of help: "thanks for your copy and paste response".
  phrase(['response responses reply replys answer answers message messages tweet tweets email emails', 'canned automated generic scripted paste pasted'],
    r`\b(?:canned|automated|generic|scripted|copy(?: and | & |-| )paste[d]?) (?:response|reply|answer|message|tweet|email)s?\b`),
  phrase(['answer up', 'phone phones call calls email emails dm dms'], r`\b(?:answer|pick up) (?:the|your|my) (?:phone|phones|calls?|emails?|dms?)\b`),
  phrase(['please pls plz', 'respond answer back'], r`\b(?:please|pls|plz) (?:respond|reply|answer|get back to me|call me back)\b`),
  // Helplessness and the runaround (round 5, from support-ticket escalations in any
  // industry): "there's nothing they can do", "bounced around between departments".
  phrase(['nothing', 'do done'], r`\bnothing (?:\w+ )?(?:he|she|they|you|u|anyone|anybody|we|i|agents?) (?:can|could) do\b|\bnothing (?:can|could) be done\b`),
  word(r`\brunaround\b`),
  phrase(['bounced passed', 'around'], r`\b(?:bounced|passed) around\b`),
]);

/**
 * Anger, swearing at the company, and leaving: "never again", "switching to".
 */
export const ANGER = cls('anger', -2.5, [
  phrase(['never', 'again flying using buying ordering shopping booking'], r`\bnever (?:again|flying|using|buying|ordering|shopping|booking)\b`),
  phrase(['switching moving back', 'switching moving going', 'to'], r`\b(?:switching|moving|(?<!\b(?:imagine|never|not|without) )going back) to\b`),
  phrase(['cancel cancelling canceling', 'account* subscription* membership* card*'], r`\bcancel(?:ling|ing)? my (?:account|subscription|membership|card)`),
  phrase(['done fed sick tired enough'], r`\b(?:officially|so) done\b|\bfed up\b|\bsick (?:of|and tired)\b|\btired of\b|\bhad enough\b|\bdone with\b`),
  phrase(['joke'], r`\bwhat a joke\b|\b(?:is|are) a joke\b`),
  phrase(['shame', 'on'], r`\bshame on\b`),
  // "this is how you treat loyal customers", "is this how you treat people?", "no way to treat anyone".
  phrase(['treat treats', 'how way'], r`\b(?:(?:this|that) is how|is (?:this|that) how|so this is how) (?:you|they|@\S+) treats? (?:\S+ +)?(?:people|customers|clients|members|users|us|me|anyone|someone)\b|\bno way to treat (?:\S+ +)?(?:people|customers|clients|members|users|anyone|someone)\b`),
  word(r`\bunbelievable\b`),
  phrase(['together', 'get'], r`\bget (?:it|your act) together\b`),
  word(r`\b(?:wtf|ffs|fml|smh|omfg)\b`),
  phrase(['seriously'], r`\bseriously\s*[?!]`),
  phrase(['hell heck fuck', 'what'], r`\bwhat the (?:hell|heck|fuck)\b`),
  phrase(['hard difficult', 'how'], r`\bhow (?:hard|difficult) is it\b`),
  phrase(['ask', 'too'], r`\bis it too much to ask\b`),
  phrase(['why', "is would can't cant won't do does did are"], r`\bwhy (?:is it|would|can't|cant|won't|do you|does|did|are|is)\b`),
  phrase(['#fail #epicfail #neveragain #disappointed #badservice #customerservicefail'], r`#(?:fail|epicfail|neveragain|disappointed|badservice|customerservicefail)\b`),
  phrase(['last', 'time', 'fly* flew* use* book* buy* order* shop*'], r`\blast time (?:i|we) (?:fly|flew|use|book|buy|order|shop)`),
  // Disbelief: "are you kidding me", "you've got to be joking", "is this a joke".
  phrase(['kidding serious joking joke'], r`\b(?:are|r) (?:you|u) (?:kidding|serious|joking)\b|\b(?:you've|you have|you) (?:got|gotta) (?:to )?be (?:kidding|joking)\b|\bis this a joke\b`),
  // Taking the business elsewhere, whatever the industry.
  phrase(['other', 'plenty many'], r`\b(?:plenty of|so many) other (?:\w+ )?(?:options|companies|carriers|airlines|providers|banks|stores|brands)\b`),
  phrase(['business money', 'elsewhere somewhere'], r`\bmy (?:business|money) (?:elsewhere|somewhere else)\b`),
  phrase(['competitor'], r`\b(?:a|to a|from a) competitor\b`),
]);

/**
 * Let-downs said politely: what should have happened, what is lacking, what is owed.
 * From complaint letters and support tickets, where customers hedge rather than swear:
 * "would have appreciated a heads up", "used to be my go-to", "zero communication",
 * "not a single update", "I want my bags", "expected better".
 */
export const LETDOWN = cls('letdown', -2, [
  phrase(["would could should might would've could've should've might've", 'nice great good helpful appreciated better courteous professional'],
    r`\b(?:would|could|should|might)(?: have|'ve| of) (?:been )?(?:nice|great|good|helpful|appreciated|better|courteous|professional)\b`),
  phrase(["would've would", 'appreciated liked loved preferred expected'], r`\bwould(?:'ve| have) (?:appreciated|liked|loved|preferred|expected)\b`),
  phrase(['expected expect', 'more better'], r`\b(?:i|we) (?:expected|expect) (?:more|better)\b`),
  phrase(['used', 'to'], r`\bused to (?:be\b(?! (?:a (?:pain|nightmare|mess|chore)|bad|terrible|awful|buggy|slow|rubbish|flaky|painful|unreliable|hit and miss)\b)|love|like|enjoy|trust)\b|\bnot what (?:it|you) used to\b`),
  phrase(['lack lacking absence', 'of'], r`\b(?:lack|lacking|absence) of\b`),
  phrase(['communication accountability compassion empathy courtesy urgency notice', 'zero no poor of'], r`\b(?:zero|no|poor|lack of) (?:communication|accountability|compassion|empathy|courtesy|urgency|notice)\b`),
  phrase(['not', 'word update call email bag person agent apology response reply thing'], r`\bnot (?:a|one|a single) (?:word|update|call|email|bag|person|agent|apology|response|reply|thing)\b`),
  phrase(['want demand deserve', 'i we'], r`\b(?:i|we) (?:want|demand|deserve) (?:my|our|an? (?:answer|explanation|refund|apology)|answers|compensation|to (?:speak|talk) to)\b`),
  phrase(['give', 'back'], r`\bgive (?:me|us) (?:my|our) \w+ back\b`),
  phrase(['what who', 'talk call'], r`\b(?:what|who) (?:do|should|am) i (?:even )?(?:supposed to )?(?:talk to|call)\b`),
  // Indignant questions and broken promises (round 5, from complaint letters): "how is this
  // acceptable?", "what's the point of…", "what's up with that", "it was supposed to leave at 5" (past: the promise broken, not a plan).
  phrase(['how', 'acceptable ok okay fair possible legal allowed right'],
    r`\bhow (?:is|was|'s) (?:this|that|it) (?:even )?(?:acceptable|ok|okay|fair|possible|legal|allowed|right)\b`),
  phrase(['what', 'point up going'], r`\bwhat(?:'s| is) the point\b|\bwhat(?:'s| is) (?:up|going on) with (?:that|this)\b`),
  phrase(['supposed', 'was were'], r`\b(?:was|were) supposed to\b`),
  // What staff said, reported back as the problem: "I was told to call back Monday", and
  // hopes dashed: "waited an hour only to be told…" (round 5, from complaint letters).
  phrase(['told', "was were been got being i'm"], r`\b(?:was|were|been|got|being|i'm) told\b`),
  phrase(['only', 'to'], r`\bonly to (?:find|be|get|learn|hear|discover|have|realize|see)\b`),
]);
