import { type CueClass, type CueRule, type CueTopic, phrase, word } from './cue-pattern.js';

/**
 * Cue classes that decide what a mention asks of the team beyond its mood: spam, a customer
 * about to leave, a switch between providers, a problem already fixed, a problem in the
 * past, news. All weigh 0 except word of mouth, so the mood reads as before; classify.ts
 * reads their topics. Written by the team from the wording of phishing and scam warnings
 * (banks', carriers' and platforms' "how to spot a fake" pages), retention and cancellation
 * flows, review sites and status-page follow-ups, across industries; none is mined from
 * labelled data. Regexes stay linear (tests/unit/hostile-input.test.ts).
 */

const cls = (topic: CueTopic, weight: number, rules: CueRule[]): CueClass => ({ topic, weight, rules });
const r = String.raw;

/** What phishing asks for, and what a scammer promises. */
const SECRETS = '(?:sort code|card(?: number| details| info)?|card number|password|passcode|pin|otp|one[- ]time code|verification code|security code|login(?: details)?|cvv|cvc|ssn|social security number|bank details|account number|seed phrase|recovery phrase|private key|full name and card)';

/**
 * Spam: phishing, giveaways, follower and crypto selling, SEO and "customer care number"
 * junk. What a scam warning tells customers to look out for.
 */
export const SPAM = cls('spam', 0, [
  // "verify your account here", "confirm your identity to avoid suspension".
  phrase(['verify confirm validate reactivate unlock restore secure'],
    r`\b(?:verify|confirm|validate|reactivate|unlock|restore|secure) (?:your|ur) (?:account|identity|details|information|info|login|wallet|card|payment(?: details)?|parcel|package|delivery|order)\b`),
  // "DM us your order number and the card you paid with", "send me your password".
  phrase(['dm message send text give whatsapp email inbox reply', 'card password passcode pin otp code login cvv cvc ssn details number phrase key'],
    r`\b(?:dm|message|send|text|give|whatsapp|email|inbox|reply) (?:to )?(?:us|me|with) (?:with )?(?:your|ur) (?:\S+ +){0,5}?${SECRETS}\b`),
  phrase(['suspended locked blocked disabled closed restricted frozen deactivated', 'your'],
    r`\byour (?:account|card|wallet|parcel|package) (?:has been|will be|is being|is|was) (?:temporarily )?(?:suspended|locked|blocked|disabled|closed|restricted|frozen|deactivated)\b`),
  phrase(['enter connect', 'your'], r`\benter your (?:login|password|card|bank|account)\b|\bconnect your (?:crypto )?wallet\b`),
  phrase(['claim'], r`\bclaim (?:your|ur|a|the|free) (?:\S+ +){0,2}?(?:refund|prize|reward|gift|tokens?|airdrop|bonus|compensation|voucher|coins?)\b`),
  // Giveaways.
  word(r`\bgive-?aways?\b`),
  phrase(['win'], r`\b(?:rt|retweet|repost|like|follow|share|comment|tag)\b[^.!?\n]{0,30}?\bto win\b`),
  phrase(['like', 'share rt retweet follow repost'], r`\blike,? (?:\+ |and |& )?(?:share|rt|retweet|follow|repost)\b`),
  // "follow + RT", "follow & retweet": the mechanics of a giveaway.
  phrase(['follow rt retweet repost', 'rt retweet follow repost share tag'], r`\b(?:follow|rt|retweet|repost) ?[+&] ?(?:rt|retweet|follow|repost|share|tag)\b|\bfollow,? (?:and |& )?(?:rt|retweet)\b`),
  // What no giveaway or delivery needs: a fee paid by card to claim it, within hours.
  phrase(['fee', 'verification unlock activation release processing customs redelivery handling'],
    r`\b(?:verification|unlock|activation|release|processing|customs|redelivery|handling) fee\b(?=[^.!?\n]{0,60}?(?:https?:|www\.|\b[\w-]+\.(?:help|support|example|top|xyz|info|click|link|site|online|live|shop)\b|\bwithin \d+ ?(?:h|hrs?|hours)\b))|\bpay (?:the |a )?(?:\S+ +){0,3}?fee (?:\S+ +){0,2}?within \d+ ?(?:h|hrs?|hours)\b`),
  // An agent asking a customer for details in public: "kindly provide your details to process it".
  phrase(['kindly', 'provide send share confirm verify dm update fill'], r`\bkindly (?:provide|send|share|confirm|verify|dm|update|fill in) (?:us )?(?:with )?(?:your|ur)\b`),
  phrase(['selected chosen picked', 'you'], r`\byou(?: have|'ve)? been (?:selected|chosen|picked) (?:for|to receive|as)\b`),
  phrase(['claim', 'within click'], r`\bclaim (?:it |yours |now |your \S+ )?within \d+ ?(?:h|hrs?|hours|minutes|mins)\b|\bclick (?:here |the link |below )?to claim\b`),
  phrase(['giving', 'away'], r`\bgiving away (?:\d[\d,]*|free|a free)\b`),
  // Crypto pumps and get-rich posts.
  word(r`\b(?:presale|pre-sale|100x|1000x)\b`),
  phrase(['earn earning made making', 'day week hour month'], r`\b(?:earn|earning) \$?\d[\d,.]*k? ?(?:\/|a |per )(?:day|week|hour|month)\b|\b(?:made|making) \$\d[\d,.]*k? (?:this|a|per|in a|every) (?:week|day|month)\b`),
  phrase(['grow', 'your'], r`\bgrow your (?:instagram|tiktok|twitter|youtube|account|page|channel|following|audience) (?:with|fast|overnight)\b`),
  phrase(['code codes', 'verified working'], r`\b(?:coupon|promo|discount|voucher) codes? (?:january|february|march|april|may|june|july|august|september|october|november|december) 20\d\d\b|\bverified (?:working|codes?)\b`),
  phrase(['send', 'card password pin login details'], r`\bsend (?:your|ur) (?:\S+ +){0,2}?(?:card|password|pin|login|bank details|card details)\b`),
  phrase(['tag', 'friends people'], r`\btag (?:\d+|two|three|five) (?:friends|people)\b`),
  // Followers, likes and crypto for sale.
  phrase(['followers likes subscribers views', 'buy get gain grow boost'],
    r`\b(?:buy|get|gain|grow|boost) (?:\d[\d,.]*k?\+? (?:\S+ )?|(?:real|active|organic|instant|cheap|guaranteed) )(?:real |active |organic |instant |cheap |guaranteed )?(?:followers|likes|subscribers|views)\b`),
  phrase(['followers likes subscribers'],
    r`\b\d[\d,.]*k?\+? (?:real |active |organic |new )?(?:followers|likes|subscribers)\b[^.!?\n]{0,20}?(?:[$£€]\d|\bin \d+ ?(?:h|hrs|hours)\b|\bguaranteed\b|\bcheap\b|\binstant)`),
  phrase(['selling', 'accounts followers skins coins gold'], r`\bselling (?:\S+ +){0,3}?(?:accounts|followers|skins|coins|gold)\b`),
  phrase(['tokens'], r`\b(?:earn|claim|get|free) (?:\S+ +)?tokens\b`),
  phrase(['pay', 'usdt crypto bitcoin btc eth gift'], r`\bpay (?:with|in) (?:usdt|crypto|bitcoin|btc|eth|gift cards?)\b`),
  phrase(['lifetime survey verification'], r`\blifetime deal\b|\bno (?:survey|human verification)\b`),
  phrase(['follow'], r`\bfollow (?:for|4) follow\b|\b(?:i|we) follow back\b|\bfollow back (?:instantly|100%|guaranteed)\b`),
  word(r`\b(?:f4f|airdrop|airdrops)\b`),
  phrase(['income money bitcoin btc eth crypto signals opportunity profit profits returns forex arbitrage options'],
    r`\b(?:passive income|make money (?:online|fast|from home)|double your (?:money|bitcoin|btc|eth|crypto)|crypto signals|investment opportunity|guaranteed (?:profits?|returns|income)|forex (?:signals|trading)|binary options|arbitrage)\b`),
  phrase(['dm inbox message', 'me'], r`\b(?:dm|inbox|message) me\b[^.!?\n]{0,25}?\b(?:for the (?:method|link|secret)|to (?:learn how|join|get started))\b`),
  // SEO junk and fake "customer care" listings that only name the brand.
  phrase(['coupon promo discount voucher promo'], r`\b(?:coupon|promo|discount|voucher) codes? (?:20\d\d|today|for (?:today|this month)|(?:\d+% )?off|list|updated)\b`),
  phrase(['care service support helpline toll', 'number no'], r`\b(?:customer care|customer service|customer support|support|helpline|toll[- ]free) (?:phone |contact |helpline )?(?:number|no\.?) ?[:-]? ?\+?\d`),
  word(r`\b(?:apk|keygen|cracked)\b`),
  phrase(['alternatives review reviews', 'top best 20'], r`\b(?:top \d+|best) (?:\S+ +){0,3}?alternatives\b|\breviews? 20\d\d\b`),
  phrase(['official authorised authorized', 'partner reseller promo promotion giveaway distributor'],
    r`\b(?:official|authori[sz]ed) (?:\S+ )?(?:partner|reseller|promo|promotion|giveaway|distributor)\b`),
  phrase(['code link', 'use'], r`\buse my (?:(?:referral|invite|promo|discount) )?(?:code|link)\b`),
]);

/**
 * The author says or implies they are leaving: cancelling, closing, switching to someone
 * else, taking their business elsewhere, warning others away. From cancellation flows,
 * retention desks and review sites.
 */
export const CHURN = cls('churn', 0, [
  phrase(['cancel canceling cancelling cancelled canceled close closing closed terminate terminating end ending delete deleting deleted', 'account subscription subscriptions plan membership contract policy service trial'],
    r`\b(?:cancel(?:l?ing|l?ed)?|clos(?:e|ing|ed)|terminat(?:e|ing)|end(?:ing)?|delet(?:e|ing|ed)) (?:my|our|the) +(?:\S+ +)?(?:account|subscriptions?|plan|membership|contract|policy|service|trial)\b`),
  phrase(['another different other new competitor competitors competition rival rivals', 'to'],
    r`\b(?:switch(?:ing|ed)?|mov(?:e|ing|ed)|migrat(?:e|ing|ed)|go(?:ing)?|port(?:ing)?|tak(?:e|ing)|jump(?:ing)?)\b(?: +\S+){0,5}? (?:to|over to|with) (?:(?:another|a different|other|a new) (?:provider|bank|lender|carrier|airline|service|company|host|platform|tool|supplier|vendor|insurer|network|isp|courier|store|shop|one)s?|(?:the |a )?(?:competitor|competition|rival)s?)\b`, ['other ', 'a different ', 'a new ', 'competit', 'rival']),
  // Leaving the brand for someone else: "switched from @acme to a local co-op", "moved our
  // shop away from @acme", "left @acme for Fibreco", "ditched @acme for".
  phrase(['from', 'switch switched switching moved moving migrated migrating jumped jumping ported porting went go going', 'to for'],
    r`\b(?:switch(?:ed|ing)?|mov(?:ed|ing)|migrat(?:ed|ing)|jump(?:ed|ing)|port(?:ed|ing)|went|go(?:ing)?)\b(?: +\S+){0,4}? (?:from|away from) +(?:you|@\S+)(?: +\S+){0,4}? (?:to|for)\b`),
  phrase(['left leaving ditched ditching dumped dropped', 'for'], r`\b(?:left|leaving|ditched|ditching|dumped|dropped) +(?:you|@\S+) +for\b`),
  phrase(['elsewhere'], r`\b(?:business|money|orders?|custom|store|shop|account) (?:\S+ +)?elsewhere\b`),
  // "we'll go elsewhere", "shopping elsewhere from now on", "took our money elsewhere".
  phrase(['elsewhere', 'go going gone went shop shopping look looking bank banking fly flying'],
    r`\b(?:go|going|gone|went|shop|shopping|look|looking|bank|banking|fly|flying) elsewhere\b`),
  // "my last month with @acme", "our final bill from them".
  phrase(['last final', 'month week year bill payment renewal'], r`\b(?:my|our) (?:last|final) (?:month|week|year|bill|payment|renewal) (?:with|on|from|at) +(?:you|them|@\S+)`),
  // Weighing it up: "thinking about switching", "considering cancelling", "time to find a new bank".
  phrase(['thinking considering seriously time', 'switching leaving cancelling canceling moving switch leave cancel move'],
    r`\b(?:thinking (?:about|of)|considering|seriously considering|time to) (?:\S+ +)?(?:switch(?:ing)?|leav(?:e|ing)|cancel(?:l?ing)?|mov(?:e|ing) (?:away|on|banks|providers))\b`),
  phrase(['time', 'find new another'], r`\btime to (?:find|look for) (?:a new|another) (?:provider|bank|carrier|airline|app|service|company|host|platform|tool|supplier|vendor|insurer|network|isp|hotel)\b`),
  phrase(['jump jumping jumped', 'ship'], r`\bjump(?:ing|ed)? ship\b`),
  // "booking with someone else next time", "we'll go somewhere else".
  phrase(['else', 'someone somebody somewhere'], r`\b(?:book|booking|order|ordering|bank|banking|fly|flying|shop|shopping|go|going|stay|staying|take|taking|look|looking) (?:\S+ +)?(?:with|at|to|from)? ?(?:someone|somebody|somewhere) else\b`),
  // "next time I'll take the train", "next time we'll book direct".
  phrase(['next', 'time'], r`\bnext time,? (?:i'll|i will|we'll|we will|i'm|im|i am|we're) (?:just |definitely |probably )?(?:use|fly|book|order|take|go|try|stick|stay|shop|bank)\b(?=[^.!?\n]{0,40}?\b(?:instead|the train|the bus|another|a different|someone else|somewhere else|elsewhere|direct)\b)`),
  // Leaving, said without a destination: "about to switch", "we're leaving.", "I'll be switching soon".
  phrase(['switch leave cancel', 'about ready going gonna planning tempted close'],
    r`\b(?:about|ready|going|gonna|planning|tempted|so close) to (?:switch|leave|cancel)\b(?! (?:my|the|our|a) (?:order|booking|reservation|flight|appointment|table|review|comment|note|tip))`),
  phrase(['switching leaving', "i'll will we'll i'm im we're am are"],
    r`\b(?:i'll|i will|we'll|we will|i'm|im|we're|i am|we are) (?:\S+ )?(?:be )?(?:switching|leaving)\b(?= *(?:[.!,]|$| (?:soon|now|next|this month|at the end|for good|providers|banks)\b))`),
  phrase(['want wants wanting trying need', 'leave cancel close out'], r`\b(?:want|wants|wanting|trying|need) to (?:leave|cancel|close (?:my|our)|get out of (?:my|our|this))\b|\bwant out of (?:my|our|this)\b`),
  phrase(['lost', "you've have just"], r`\b(?:you've|you have|you just) lost (?:me|us|my business|our business|a customer)\b`),
  phrase(['alternative alternatives', 'recommend suggest know any good'], r`\b(?:recommend|suggest|know|any|good|decent) (?:an? |any |some |good |decent )*alternatives?\b(?! (?:route|flight|date|dates|time|times|product|item|size|colou?r))`),
  phrase(['bye goodbye farewell'], r`\b(?:good)?bye,? +(?:@\S+|forever)\b|\bfarewell,? +@\S+`),
  // "I'm leaving @acme", "we're leaving you for …".
  phrase(['leaving', "i'm im am we're are"], r`\b(?:i'm|im|i am|we're|we are) (?:\S+ +)?leaving +(?:you|them|@\S+|this (?:company|app|bank|airline|service|provider))`),
  // "and quitting", "I'm quitting": not "quitting smoking" or one's job.
  phrase(['quitting quit', "i'm im am we're are and i'll we'll"],
    r`\b(?:i'm|im|i am|we're|we are|and|i'll|we'll|i will|we will) (?:\S+ +)?quit(?:ting)?\b(?! +(?:smoking|drinking|my job|work|complaining|whining|moaning|for the (?:day|night)))`),
  phrase(['alternative alternatives options providers provider banks carriers apps platforms', 'looking shopping searching'],
    r`\b(?:looking|shopping|searching) (?:\S+ +){0,2}?(?:for|at|into) (?:an? |some |other )?(?:alternatives?|other options|(?:another|a new|a different|other) (?:provider|bank|carrier|airline|app|service|company|host|platform|tool|supplier|vendor|insurer|network|isp)s?)\b`),
  phrase(['switch switching', 'providers banks carriers airlines networks insurers hosts'], r`\bswitch(?:ing)? (?:providers|banks|carriers|airlines|networks|insurers|hosts)\b`),
  phrase(['done through finished', 'with'], r`\b(?:done|through|finished) with +(?:you|y'all|@\S+|this (?:company|app|bank|airline|service|provider))\b`),
  phrase(['lost losing', 'customer'], r`\b(?:lost|losing|lose) (?:a|another|one|your|a loyal|a long-?time|my|our) (?:\S+ )?(?:customer|client|member)\b`),
  phrase(['stay avoid'], r`\bstay away from\b|\bavoid\b[^.!?\n]{0,25}?\bat all costs\b`),
  phrase(["don't dont not", 'use buy bank fly order trust shop'],
    r`(?:^|[.!?:;\n] ?|\b(?:just|please|pls|seriously|so|and) )(?:don't|dont|do not) (?:ever )?(?:use|buy from|bank with|fly with|order from|trust|shop (?:at|with)) +(?:them|@\S+|this (?:company|app|bank|airline|service|provider))\b`),
  phrase(['favour favor yourself'], r`\bdo yourself a favou?r\b|\bsave yourself the\b`),
  phrase(['again', 'never'], r`\bnever again\b|\bnever (?:\S+ )?(?:using|flying|ordering|buying|booking|shopping|banking|renewing|staying|playing)\b[^.!?\n]{0,25}?\bagain\b`),
  // "I'll never book them again", "never use this app again": a vow, not a story ("never had this again").
  phrase(['again', 'never'], r`\b(?:i'll|ill|i will|we'll|we will|i'd|will|gonna|going to) never (?:\S+ )?(?:use|fly|order|buy|book|shop|bank|renew|stay|play|deal|recommend|trust|touch)\b[^.!?\n]{0,25}?\bagain\b`),
  phrase(['last', 'time'], r`\b(?:last|final) time (?:i|we) (?:\S+ )?(?:use|fly|order|buy|book|shop|bank|renew)\b`),
  // The author uninstalling, not a wish to uninstall a part ("let you uninstall the driver").
  word(r`\b(?:uninstalled|uninstalling|unsubscrib(?:e|ed|ing))\b`),
  phrase(['uninstall'], r`\b(?:i|we|i'll|we'll|i'm|gonna|going to|about to|just) (?:\S+ )?uninstall\b`),
  phrase(['renewing renew', "not won't wont"], r`\b(?:not|won't|wont|will not) (?:be )?renew(?:ing)?\b`),
  phrase(["i'm im am we're are", 'out'], r`\b(?:i'm|im|i am|we're|we are) (?:so )?out\b(?= ?[.!]|$)`),
  phrase(['left quit cancelled canceled', 'i we'],
    r`\b(?:i|we) (?:finally |already |just )?(?:left|quit|cancell?ed)\b(?= +(?:you|@\S+|for +(?:good|@\S+)|last|because)\b| ?[.!]|$)`),
  phrase(['let', 'leave cancel'], r`\blet (?:me|us) (?:leave|cancel)\b`),
  phrase(['deleting deleted delete', 'app'], r`\b(?:deleting|deleted|delete) (?:the|your|this) app\b`),
  phrase(['port porting', 'number'], r`\bport(?:ing)? (?:my|our) numbers?\b`),
  phrase(['going back', 'never not'], r`\b(?:never|not) (?:going|coming) back to +(?:you|@\S+)\b`),
]);

/**
 * Moving from one provider to a named one ("switched to @acme", "moved our store over to
 * @acme", "runs on @acme"): word of mouth when the destination is the brand, a customer
 * leaving when it is another. classify.ts reads the destination.
 */
export const SWITCH = cls('switch', 0, [
  phrase(['switched switching switch moved moving move migrated migrating changed converted ported jumped', 'to onto'],
    r`\b(?:switch(?:ed|ing)?|mov(?:ed|ing|e)|migrat(?:ed|ing)|changed|converted|ported|jumped)\b(?: +\S+){0,5}? (?:to|onto|over to|ship to) +@\S+`),
  phrase(['runs run running built', 'on'], r`\b(?:runs|run|running|built) (?:entirely |fully )?on +@\S+`),
  // To a rival named without a handle: "switching to Fibreco", "moving the team over to Ledgerline",
  // "going back to Jira". mention-signs.ts keeps it only when the name is written as one
  // (a capital letter mid-sentence); "moving to Berlin" alone is a move, not a switch.
  phrase(['switching switched switch migrating migrated migrate porting ported port jumping jumped moving moved move', 'to'],
    r`\b(?:(?:switch(?:ed|ing)?|migrat(?:ed|ing|e)|port(?:ed|ing)?|jump(?:ed|ing)?) (?:\S+ +){0,4}?(?:to|over to)|mov(?:ed|ing|e) (?:us|me|everything|(?:my|our|the) (?:\S+ +){0,3}?\S+) (?:over )?to) +[a-z][\w-]*`),
  phrase(['back', 'going go went', 'to'], r`\b(?:going|go|went) back to +[a-z][\w-]*`),
  // "we'll be on Ledgerline by Monday".
  phrase(["we'll i'll will", 'be', 'by'], r`\b(?:we'll|i'll|we will|i will) be (?:on|with|using) +[a-z][\w-]*(?= +by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next|the end|then)\b)`),
  // "we run a 12-person studio on @acme", "I run the whole shop on @acme".
  phrase(['run', 'on', 'we i'], r`\b(?:we|i) (?:now |still )?run (?:\S+ +){1,4}?on +@\S+`),
]);

/**
 * Word of mouth without a feeling word: telling others to try the brand, never looking
 * back, not imagining working without it. From reviews and referral threads.
 */
export const WORD_OF_MOUTH = cls('recommend', 2.5, [
  phrase(['told telling convinced got getting', 'try use get switch join sign about onto'],
    r`\b(?:told|telling|convinced|got|getting)\b(?: +\S+){0,4}? (?:friends?|family|everyone|everybody|people|colleagues|co-?workers|shops|sellers|stores|businesses|others|folks|mates|neighbou?rs|clients|customers|makers|owners|devs|developers|founders|team|parents|mom|mum|dad|sister|brother|wife|husband|office|staff|department|class|classmates|workmates|household|flatmates|roommates|group|club)\b(?: +\S+){0,4}? (?:to (?:try|use|get|switch|join|sign up|book|order|stay|fly|bank|shop|check out|download)|about +(?:you|them|it|@\S+)|onto)\b(?! +(?:other|another|a different|elsewhere|somewhere))`),
  // "told three other agencies to try @acme": any listener but the author ("told me to try restarting" is support's advice).
  phrase(['told telling convinced', 'try use switch join sign book order'],
    r`\b(?:told|telling|convinced) (?!me\b|us\b|him\b|her\b)(?:\S+ +){1,4}?to (?:try|use|switch|join|sign up|book|order from|bank with|check out)\b(?! +(?:other|another|a different|elsewhere|somewhere|restarting|reinstalling|clearing|waiting|call|contact))`),
  // Advice to a stranger: "if you're starting out, get it", "if you're choosing between them, pick @acme".
  phrase(['if', 'get try pick use book choose'],
    r`\bif you(?:'re| are)? (?:\S+ +){0,8}?(?:just )?(?:get|try|pick|use|book|choose|go with) (?:it|them|@\S+)(?= *(?:[.!,)]|$))`),
  // A closing imperative: "Book them.", "Just get @acme!"
  phrase(['get try pick use book choose'], r`(?:^|[.!] +)(?:just |seriously,? )?(?:book|try|get|pick|choose|go with) (?:them|@\S+)(?: already| now| today)?(?= *(?:[.!]|$))`, [' them', ' @']),
  // The disclaimer that goes with an unpaid recommendation.
  phrase(['sponsored ad #notsponsored #notanad affiliated affiliation'], r`\bnot (?:sponsored|an ad|affiliated)\b|#notsponsored\b|#notanad\b|\bno affiliation\b`),
  // "ruined other hotels for me": nothing else measures up.
  phrase(['ruined spoiled spoilt', 'me us'], r`\b(?:ruined|spoiled|spoilt) (?:all |every )?other \S+ (?:\S+ )?for (?:me|us)\b`),
  // "the only reason I finished …", "the only PM tool I've used where …".
  phrase(['only', 'reason'], r`\bthe only reason (?:i|we) (?:finished|stuck|kept|made it|got|managed|passed|stayed|still)\b`),
  phrase(['only', 'tool app bank airline hotel service provider company brand one platform network carrier'],
    r`\bthe only (?:\S+ +){0,2}?(?:tool|app|bank|airline|hotel|service|provider|company|brand|one|platform|network|carrier) (?:i've|i have|we've|we have|i|we|that|where) (?:ever )?(?:used|tried|found|trust|stuck with|actually|never|nobody|no one)\b`),
  // "would do it again", "would pick them again".
  phrase(['again', 'would'], r`\bwould (?:definitely |happily |gladly )?(?:do it|pick (?:them|it)|choose (?:them|it)|stay (?:there|here|with them))(?: all over)? again\b`),
]);

/**
 * A problem the author says is over: "fine now", "working again", "back up", "never
 * mind", "false alarm". Read with a guard against "still not fixed" (classify.ts).
 */
export const FIXED = cls('fixed', 0, [
  phrase(['now again', 'fine ok okay good working sorted resolved fixed normal online'],
    r`\b(?:fine|ok|okay|good|working|sorted|resolved|fixed|normal|back up|back online) (?:again|now)\b`),
  phrase(['fixed resolved sorted restored online back', "it's its is are was were been all seems"],
    r`\b(?:it's|its|is|are|was|were|been|all|seems) (?!not |never |still )(?:\S+ )?(?:back up|back online|fixed|resolved|sorted|restored)\b`),
  phrase(['mind nvm alarm figured'], r`\bnever ?mind\b|\bnvm\b|\bfalse alarm\b|\bfigured it out\b`),
  // "worked fine this morning", "it turned up this morning, all good", "played 6 games today without a single disconnect".
  phrase(['worked working works', 'morning today tonight'], r`\b(?:worked|working|works) (?:fine|ok|okay|normally|perfectly)(?: again)? (?:this morning|today|tonight)\b`),
  phrase(['turned showed came', 'up through'], r`\b(?:turned up|showed up|came through) (?:this morning|today|in the end|eventually|after all)\b`),
  phrase(['good', 'all'], r`\ball good (?:now|again)\b|\bbut (?:\S+ +){0,8}?all good\b`),
  phrase(['without', 'single'], r`\bwithout a single (?:disconnect|issue|problem|crash|error|hiccup)\b(?<=\b(?:this morning|today|since|now|but) (?:\S+ +){0,6}without a single \w+)`),
]);

/**
 * A problem told in the past: yesterday's outage, "was down", "wrote about their outage".
 */
export const PAST = cls('past', 0, [
  word(r`\byesterday(?:'s)?\b`),
  phrase(['last', 'night week weekend month year'], r`\blast (?:night|week|weekend|month|year)\b`),
  phrase(['ago'], r`\b(?:\d+|a few|two|three|several) (?:days|weeks|months|years) ago\b`),
  phrase(['was were', 'down'], r`\b(?:was|were) (?:\S+ )?down\b`),
  phrase(['outage'], r`\b(?:had|after|since|during) (?:a |an |the |their |that |your |last |yesterday's )?(?:\S+ )?outage\b|\b(?:wrote|written|posted|blogged) about (?:\S+ +){0,2}?outage\b|\boutage (?:credit|refund|compensation|report|postmortem|post-mortem|recap|window|was|were|is over|has ended|lasted)\b|\b(?:from|in) the (?:\S+ )?outage\b|\b(?:today's|yesterday's|this morning's|last week's|the other day's) (?:\S+ )?outage\b`),
]);

/**
 * News and announcements: a headline about the brand rather than a customer talking to it.
 */
export const NEWS = cls('news', 0, [
  word(r`\b(?:announces|announced|launches|unveils|unveiled|acquires|acquired|reportedly)\b`),
  phrase(['raises raised'], r`\brais(?:es|ed) \$`),
  phrase(['partners partnered', 'with'], r`\bpartner(?:s|ed) with\b`),
  phrase(['according', 'to'], r`\baccording to\b`),
  phrase(['release', 'press'], r`\bpress release\b`),
  phrase(['hiring'], r`\b(?:is|are|now) hiring\b`),
]);

/**
 * A demand or a deadline: "sort it out", "fix it now", "refund me", "I want my money back",
 * "I need to pay someone in 10 minutes", "the race is in an hour". What makes a complaint
 * urgent rather than resigned; read by the angry flag (intent.ts), never by the mood.
 */
export const DEMAND = cls('demand', 0, [
  phrase(['sort fix', 'out it this now asap'], r`\bsort (?:it|this|that) out\b|\bfix (?:it|this|that)(?:[\s#*_.]*(?:now|asap|already)\b|!)`),
  phrase(['need want', 'fixed sorted resolved back'], r`\b(?:need|want) (?:this|it|my \S+) (?:fixed|sorted|resolved|back) (?:today|now|asap|tonight|immediately|right now)\b`),
  phrase(['job', 'one'], r`\byou (?:had|have) one job\b`),
  phrase(['refund', 'me'], r`\brefund me\b`),
  phrase(['back', 'money'], r`\b(?:give me|want|need|get) my money back\b`),
  phrase(['job', 'your'], r`\bdo your (?:job|jobs)\b`),
  phrase(['come', 'on'], r`\bcome on\b(?= ?[.!?,]|$)`),
  phrase(['in within', 'min mins minute minutes hour hours hr hrs #dur'],
    r`\b(?:need|needs|have|has|got) to \w+\b(?: +\S+){0,5}? (?:in|within) (?:\d+ ?|an |a |one |two |ten |half an )?(?:mins?|minutes?|hours?|hrs?)\b|\b(?:is|starts|leaves|departs|closes|boards) in (?:\d+ ?|an |a |one |two |ten |half an )(?:mins?|minutes?|hours?|hrs?)\b`, ['need to ', 's to ', 'have to ', 'got to ', 's in ']),
]);

/** The classes that weigh 0, in the order their evidence shows (after the intent classes). */
export const TRIAGE_CLASSES: readonly CueClass[] = [SPAM, CHURN, SWITCH, FIXED, PAST, NEWS, DEMAND];
