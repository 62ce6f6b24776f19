/**
 * The phrases the reply coach listens for, grouped by what they mean in a reply. Written
 * by the team from the support principles (docs/customer-wow.md), general across
 * industries: a parcel, a bill, an app or a flight reads the same way. Each entry is a
 * regular-expression fragment matched as whole words, case-insensitive.
 */

/** Whole-word, case-insensitive, global: the fragments are alternatives. */
function phrases(...alternatives: string[]): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

/** Thanks or acknowledgement of what the person said (an apology acknowledges too). */
export const ACKNOWLEDGEMENT = phrases(
  'thanks?',
  'thank you',
  'thx',
  'appreciate[ds]?',
  'grateful',
  '(?:we|i) hear you',
  '(?:we|i) (?:completely |totally |really )?(?:understand|get it|get that|see (?:that|why|how))',
  'understandabl[ey]',
  'good (?:catch|point|question|spot)',
  'fair (?:point|enough)',
  "you'?re (?:right|not wrong)",
  'that (?:sounds|must be|is|was) (?:so |really )?(?:frustrating|annoying|stressful|awful|rough|maddening|disappointing)',
  '(?:glad|happy|lovely|great) to hear',
  'sorry',
  'apolog(?:y|ies|i[sz]e|i[sz]ing)',
  'gracias',
  'merci',
  'danke',
  'vielen dank',
  'obrigad[oa]',
  'lo sentimos',
  'sentimos',
  'lamentamos',
  'perd[oó]n',
  'disculp\\p{L}*',
  'd[ée]sol[ée]e?s?',
  'excuses',
  'tut (?:uns|mir) leid',
  'entschuldig\\p{L}*',
  'desculp\\p{L}*',
);

/** Owning a failure: sorry, an apology, "our mistake". */
export const APOLOGY = phrases(
  'sorry',
  'apolog(?:y|ies|i[sz]e|i[sz]ing)',
  'our (?:mistake|fault|bad|error)',
  '(?:this|that|it) (?:is|was|\'s) on us',
  'we (?:messed|screwed) up',
  'we (?:let you|dropped the ball)',
  '(?:we )?regret',
  'we got (?:it|this|that) wrong',
  'lo sentimos',
  'sentimos',
  'lamentamos',
  'perd[oó]n',
  'disculp\\p{L}*',
  'd[ée]sol[ée]e?s?',
  'excuses',
  'tut (?:uns|mir) leid',
  'entschuldig\\p{L}*',
  'desculp\\p{L}*',
);

/** Something happens next: what we do, or what we ask them to do. */
export const NEXT_STEP = phrases(
  "(?:we|i)(?:'ll| will| are going to|'re going to| am going to|'m going to)",
  "(?:we|i)(?:'re| are|'m| am) (?:now |already )?(?:looking|working|checking|investigating|fixing|digging|on it|rolling)",
  'looking into',
  'on it',
  'please (?:dm|email|e-mail|send|share|try|check|reply|message|write|call|contact|visit|update|restart|reinstall|log|sign|open|follow)',
  '(?:could|can|would) you (?:please )?(?:dm|email|send|share|try|check|reply|message|write|tell|let|give|confirm)',
  'let us know',
  '(?:dm|email|e-mail|message|write to|call|contact|ping) us',
  'send us',
  'a private mention',
  "here'?s how",
  '(?:try|tap|click|open|visit|head to|go to)',
  '(?:has|have|was|were|is|are) (?:now |been )*(?:fixed|refunded|resolved|escalated|restored|back up|working again|rolling out|on (?:its|the) way|issued|applied|reversed|shipped|sent)',
  '(?:passed|shared|forwarded|logged|flagged) (?:it|this|that|your \\p{L}+)? ?(?:on|with|to|for)',
  'rolling out',
  '(?:te|le|les|vous|os) (?:escribimos|responderemos|contactaremos|recontacterons)',
  'nous (?:revenons|reviendrons|regardons|examinons|corrigeons|travaillons)',
  'wir (?:melden|kümmern|prüfen|arbeiten|schauen|helfen)',
  '(?:schick|schreib)(?:t|en Sie)? uns',
  '(?:te|le|lo|la|los) (?:ayudamos|revisamos|respondemos|contestamos)',
  'nous (?:vous aidons|vous répondons|regardons cela)',
  '(?:vamos|iremos) (?:verificar|analisar|responder|resolver)',
  '(?:ajudamos|respondemos|vemos isso)',
  '(?:revisamos|revisaremos|estamos revisando|estamos trabajando|estamos a trabalhar|estamos trabalhando)',
  '(?:escr[ií]benos|écrivez-nous|schreib(?:en Sie)? uns|escreva-nos|env[ií]anos|envoyez-nous|envie-nos)',
);

/** When they will hear back, or when something happens. */
export const FOLLOW_UP_TIME = phrases(
  'today',
  'tonight',
  'tomorrow',
  'this (?:morning|afternoon|evening|week|weekend)',
  '(?:within|in) (?:the next |a |an |one |two |three |a few |a couple of |\\d+ )?(?:\\d+ )?(?:minutes?|mins?|hours?|hrs?|days?|business days?|working days?|weeks?)',
  'by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|noon|midnight|tonight|tomorrow|end of (?:the )?day|eod|\\d{1,2}(?::\\d{2})?)',
  '(?:at|before|after|until) \\d{1,2}(?::\\d{2})?(?: ?[ap]m)?',
  '\\d{1,2}(?::\\d{2})? ?[ap]m',
  '(?:as soon as|once|the moment) (?:we|it|it\'s|the|there\'s|this|that|you)',
  'when (?:it\'s|it is|we know|there\'s|we have)',
  'next (?:week|update|business day|working day)',
  'every \\d+ (?:minutes|hours)',
  'hoy',
  'mañana',
  "aujourd'hui",
  'demain',
  'heute',
  'morgen',
  'hoje',
  'amanhã',
  '(?:en|dans|in|em) (?:\\d+|una?|eine[mn]?|um|uma) (?:horas?|heures?|stunden?|minutos?|minutes?|minuten?|d[ií]as?|jours?|tagen?|dias?)',
);

/** Talking down to the person. */
export const CONDESCENDING = phrases(
  'simply',
  'obviously',
  'as (?:i|we) (?:said|mentioned|stated|explained|told you|already said)',
  'as (?:previously|already) (?:said|mentioned|stated|explained)',
  'per my (?:last|previous)',
  "you should(?:n't| not)? have",
  'just (?:do|click|tap|go|read|follow|restart|reinstall|try|check|log|update|use|open)',
  'if you (?:had )?(?:read|followed|checked|looked)',
  '(?:read|check|see) the (?:manual|faq|instructions|docs|documentation|terms)',
  "(?:it's|it is|that's|that is) (?:really |very )?(?:easy|simple|not (?:that |so )?(?:hard|difficult|complicated))",
  'all you (?:have|need) to do',
  'calm down',
  'of course',
  'you (?:clearly|obviously)',
);

/** Promises nobody can keep. */
export const OVER_PROMISE = phrases(
  'guarantee[ds]?',
  'guaranteeing',
  '(?:we|i) promise',
  'promised',
  "(?:never|won't|will not) (?:ever )?(?:happen|occur) again",
  'never again',
  '(?:make sure|ensure) (?:this|it|that) (?:never|won\'t)',
  'immediately',
  'right away',
  'straight away',
  'instantly',
  'at once',
  '100 ?%',
  'definitely (?:be|get|fix|have)',
);

/** Blaming the customer. */
export const BLAME_CUSTOMER = phrases(
  'your (?:own )?(?:fault|mistake|error)',
  'user error',
  "you (?:must have|didn't|did not|failed to|forgot to|never|entered|typed|chose|selected|picked|used) (?:\\p{L}+ )?(?:wrong|incorrect|the wrong)?",
  'because you',
  'on your (?:end|side)',
  'your (?:own )?(?:internet|wi-?fi|connection|device|phone|browser|settings) (?:is|was|must)',
);

/** Blaming someone else for what the customer went through. */
export const BLAME_OTHERS = phrases(
  "(?:not|isn't|wasn't|is not|was not) (?:our|on our) (?:fault|problem|responsibility|end|side|doing)",
  'out of our (?:hands|control)',
  '(?:nothing|not much) we (?:can|could) do',
  'blame (?:the|our|them|it on)',
  "(?:the|our) (?:courier|carrier|driver|delivery (?:partner|company)|supplier|vendor|partner|provider|manufacturer|contractor|bank|payment (?:processor|provider)|warehouse|post office|postal service|airport|airline|app store|platform|third[- ]party|host(?:ing)?(?: provider)?)(?:'s)? (?:fault|mistake|error|problem|issue)",
  "(?:courier|carrier|driver|supplier|vendor|partner|provider|manufacturer|contractor|bank|processor|warehouse|post office|airline|third[- ]party|they)(?:'re| is| was| are| were) (?:to blame|responsible|at fault)",
  "(?:that's|that is|it's|it is) on (?:them|the (?:courier|carrier|supplier|vendor|partner|provider|bank|airline))",
);

/** A cheerful word, where an angry person needs calm. Exclamation marks and emoji are counted apart. */
export const CHEERFUL = phrases(
  'awesome',
  'amazing',
  'fantastic',
  'great (?:news|question|to hear)',
  'yay',
  'woo+(?:hoo+)?',
  'cheers',
  'lol',
  'haha\\p{L}*',
  'no worries',
  'no problem',
  'happy (?:shipping|days|travels|cooking|banking)',
  'exciting',
);

/** Secrets never asked for, in public or in private. */
export const SECRETS = phrases(
  '(?:full |long )?(?:credit |debit |bank )?card (?:number|details|no\\.?|info)',
  'cvv2?',
  'cvc',
  'security code',
  'pin(?: code| number)?',
  'pass(?:word|code|phrase)s?',
  '(?:login|log-in|sign-?in) (?:details|credentials|info)',
  '(?:one[- ]time|verification|2fa|sms|security|auth(?:entication)?) (?:code|pin)',
  'otp',
);

/** Personal data that belongs in a private channel, never a public reply. */
export const PERSONAL_DATA = phrases(
  '(?:full |home |street |postal |mailing |billing |delivery |shipping )address',
  'account (?:number|no\\.?|details)',
  'iban',
  'sort code',
  'routing number',
  'social security(?: number)?',
  'ssn',
  'date of birth',
  'passport(?: number)?',
  '(?:national|tax) id(?: number)?',
  "(?:driver'?s )?licen[cs]e number",
  'phone number',
);

/** A request: the reply asks the person to give something. */
export const REQUEST = phrases(
  'send',
  'share',
  'give',
  'provide',
  'post',
  'reply',
  'tell',
  'confirm',
  'include',
  'type',
  'enter',
  'dm',
  'email',
  "what(?:'s| is| are) your",
  'with your',
  'need your',
  'let us know',
);

/** The request is about not giving it ("we will never ask for your password"). */
export const NOT_ASKING = phrases('never', "don't", 'do not', "won't", 'will not', 'no need', 'not (?:ask|share|post|send)');

/** The request is routed somewhere private. */
export const PRIVATE_ROUTE = phrases(
  'dm',
  'direct message',
  'private(?:ly| message| mention)',
  'message us',
  'e-?mail',
  'inbox',
  'secure (?:form|link|page)',
  'support (?:page|link|form|portal)',
  'https?://\\S+',
);

/** Moving the conversation to private messages, which not every platform has. */
export const DIRECT_MESSAGE = phrases('dms?', 'dm us', 'direct message', 'private message', 'pm', 'pm us', 'message us', 'inbox', 'private mention');

/** Letters from the emoji blocks, for the cheerful-tone check. */
export const EMOJI = /\p{Extended_Pictographic}/gu;

/** Last four digits of a card are safe to ask for: a sentence naming them is not asking for the number. */
export const LAST_DIGITS = phrases('last (?:4|four) (?:digits|numbers)');
