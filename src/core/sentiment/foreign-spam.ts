/**
 * Spam in the languages the triage reads beyond English: giveaways, prizes to claim,
 * "verify your account" phishing, easy money. The English spam cues (triage-cues.ts) also
 * apply to every text, as giveaway words travel ("giveaway", "airdrop", "follow + RT");
 * these are the phrases that do not. Written by the team by meaning from each language's
 * scam warnings and giveaway posts; none is mined from labelled data.
 */

const SPAM: Readonly<Record<string, RegExp>> = {
  es: /\bsorteo\b|\bsorteamos\b|\bgana (?:un|una|\d)|\bverifica tu cuenta\b|\breclama tu (?:premio|regalo|reembolso)\b|\bhas sido (?:seleccionad|elegid)[oa]\b|\bdinero f[aá]cil\b/u,
  pt: /\bsorteio\b|\bsorteando\b|\bganhe (?:um|uma|\d)|\bverifique (?:a )?sua conta\b|\bresgate (?:o )?seu (?:prêmio|premio|brinde)\b|\bvocê foi selecionad[oa]\b|\bdinheiro fácil\b/u,
  fr: /(?:^|\s)à gagner\b|\bgagnez (?:un|une|\d)|\bv[ée]rifiez votre compte\b|\br[ée]clamez votre (?:cadeau|prix|remboursement)\b|\bvous avez [ée]t[ée] s[ée]lectionn[ée]e?\b/u,
  de: /\bgewinnspiel\b|\bverlosung\b|\bverlosen\b|\bgewinne (?:ein|eine|\d)|\bbest[äa]tigen sie ihr konto\b|\bverifizieren sie ihr konto\b|\bsie wurden ausgew[äa]hlt\b/u,
  it: /\bin palio\b|\bvinci (?:un|una|\d)|\bverifica il tuo account\b|\breclama il tuo (?:premio|regalo|rimborso)\b|\bsei stat[oa] selezionat[oa]\b/u,
  nl: /\bwinactie\b|\bwin (?:een|\d)|\bverifieer je account\b|\bje bent geselecteerd\b/u,
  tr: /çekiliş|kazanmak için|hesabınızı doğrula|hediye kazan|kolay para/u,
  pl: /rozdajemy|wygraj|zweryfikuj (?:swoje )?konto|zostałeś wybrany|łatwe pieniądze/u,
  ja: /プレゼント企画|抽選で|当選|フォロー(?:&|＆|と)(?:RT|リツイート|リポスト)|アカウントを(?:確認|認証)|簡単に稼げ/u,
};

/** The spam phrase of `language` in `text`, or null. */
export function foreignSpam(text: string, language: string): string | null {
  const pattern = SPAM[language];
  if (pattern === undefined) return null;
  return pattern.exec(text.toLocaleLowerCase(language))?.[0] ?? null;
}
