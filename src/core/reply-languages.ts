/**
 * Reply drafts in the mention's language: which language that is, its name for the card,
 * and the wording of `{topic}` and `{dm}` in the languages the shipped templates speak.
 */
import type { Classification, Intent } from './classification.js';
import type { Mention, Platform } from './mention.js';

/** The language drafts are written in when no template speaks the mention's. */
export const DEFAULT_REPLY_LANGUAGE = 'en';

/**
 * The mention's language as a lower-case ISO 639-1 code: the text's, as classification
 * judged it, else the platform's label; undefined when neither can tell.
 */
export function mentionLanguage(mention: Mention, classification: Pick<Classification, 'language'>): string | undefined {
  const code = (classification.language && classification.language !== 'und' ? classification.language : mention.language)?.split('-')[0]?.toLowerCase();
  return code && /^[a-z]{2,3}$/.test(code) && code !== 'und' ? code : undefined;
}

// Made on first use (ICU's language names load at the first one: a few ms at start).
let names: Intl.DisplayNames | undefined;

/** "Spanish" for `es`; the code itself when it has no English name. */
export function languageName(code: string): string {
  try {
    return (names ??= new Intl.DisplayNames(['en'], { type: 'language' })).of(code) ?? code;
  } catch {
    return code;
  }
}

interface LanguagePhrases {
  topic: Readonly<Record<Intent, string>>;
  /** How to go private, per platform kind: direct messages, Mastodon, Reddit, none (with the contact). */
  dm: { direct: string; mastodon: string; reddit: string; email: (email: string) => string; url: (url: string) => string; none: string };
}

/** `{topic}` and `{dm}` in the languages besides English that templates may be written in. */
export const LANGUAGE_PHRASES: Readonly<Record<string, LanguagePhrases>> = {
  es: {
    topic: { complaint: 'el problema', outage: 'la caída del servicio', billing: 'el cobro', bug: 'el error', question: 'tu pregunta', praise: 'tus palabras', 'feature-request': 'tu idea', spam: 'tu mensaje', other: 'tu mensaje' },
    dm: { direct: 'escríbenos por mensaje directo', mastodon: 'envíanos una mención privada', reddit: 'escríbenos por mensaje en Reddit', email: (e) => `escríbenos a ${e}`, url: (u) => `escríbenos en ${u}`, none: 'escribe a nuestro equipo de soporte' },
  },
  fr: {
    topic: { complaint: 'le problème', outage: 'la panne', billing: 'la facturation', bug: 'le bug', question: 'votre question', praise: 'vos mots', 'feature-request': 'votre idée', spam: 'votre message', other: 'votre message' },
    dm: { direct: 'écrivez-nous en message privé', mastodon: 'envoyez-nous une mention privée', reddit: 'écrivez-nous par message sur Reddit', email: (e) => `écrivez-nous à ${e}`, url: (u) => `écrivez-nous sur ${u}`, none: 'contactez notre support' },
  },
  de: {
    topic: { complaint: 'das Problem', outage: 'den Ausfall', billing: 'die Abrechnung', bug: 'den Fehler', question: 'deine Frage', praise: 'deine Worte', 'feature-request': 'deine Idee', spam: 'deinen Beitrag', other: 'deinen Beitrag' },
    dm: { direct: 'schreib uns eine Direktnachricht', mastodon: 'schick uns eine private Erwähnung', reddit: 'schreib uns eine Nachricht auf Reddit', email: (e) => `schreib uns an ${e}`, url: (u) => `schreib uns über ${u}`, none: 'wende dich an unseren Support' },
  },
  pt: {
    topic: { complaint: 'o problema', outage: 'a falha no serviço', billing: 'a cobrança', bug: 'o erro', question: 'a sua pergunta', praise: 'as suas palavras', 'feature-request': 'a sua ideia', spam: 'a sua mensagem', other: 'a sua mensagem' },
    dm: { direct: 'envie-nos uma mensagem direta', mastodon: 'envie-nos uma menção privada', reddit: 'envie-nos uma mensagem no Reddit', email: (e) => `escreva-nos para ${e}`, url: (u) => `escreva-nos em ${u}`, none: 'fale com o nosso suporte' },
  },
};

/** `{dm}` in `language` for `platform`, with the support contact where the platform has no private messages. */
export function localPrivateRoute(phrases: LanguagePhrases, platform: Platform, support: { email?: string; url?: string }): string {
  switch (platform) {
    case 'x':
    case 'bluesky':
      return phrases.dm.direct;
    case 'mastodon':
      return phrases.dm.mastodon;
    case 'reddit':
      return phrases.dm.reddit;
    default:
      if (support.email) return phrases.dm.email(support.email);
      if (support.url) return phrases.dm.url(support.url);
      return phrases.dm.none;
  }
}
