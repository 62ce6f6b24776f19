import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Languages, written by the team for an invented ferry company (Bluefin Ferries) and a
// streaming service (Lumen).
const bluefin: BrandTerms = { names: ['Bluefin'], handles: ['@bluefinferries'] };

describe('language', () => {
  it.each([
    ['en', '@bluefinferries the 9am crossing was cancelled and nobody told us'],
    ['es', '@bluefinferries el ferry de las 9 se canceló y nadie nos avisó'],
    ['pt', '@bluefinferries a viagem das 9 foi cancelada e ninguém nos avisou'],
    ['fr', "@bluefinferries la traversée de 9h a été annulée et personne ne nous a prévenus"],
    ['de', '@bluefinferries die Fähre um 9 Uhr wurde gestrichen und niemand hat uns informiert'],
    ['it', "@bluefinferries il traghetto delle 9 è stato cancellato e nessuno ci ha avvisato"],
    ['nl', '@bluefinferries de boot van 9 uur is geannuleerd en niemand heeft ons iets gezegd'],
    ['ja', '@bluefinferries 9時の便が欠航になったのに連絡がありませんでした'],
  ])('tells %s', (language, text) => {
    expect(classify(text, bluefin).language).toBe(language);
  });

  it('keeps short plain English as English', () => {
    expect(classify('ok fixed, ty', bluefin).language).toBe('en');
    expect(classify('@lumen dark mode pls', bluefin).language).toBe('en');
  });

  it('says und when there are no letters to judge', () => {
    expect(classify('🙌🙌🙌 @bluefinferries', bluefin).language).toBe('und');
  });
});

describe('mood in other languages', () => {
  it('does not read German "die" as the English word', () => {
    const c = classify('Die neue App von Lumen ist super, ich empfehle sie allen!', bluefin);
    expect(c.language).toBe('de');
    expect(c.polarity).toBe('positive');
  });

  it.each([
    ['es', 'negative', '@bluefinferries pésimo servicio, llevo una hora esperando en el puerto'],
    ['es', 'positive', 'me encanta viajar con Bluefin, todo genial y muy rápido'],
    ['pt', 'negative', '@bluefinferries péssimo atendimento, ainda não responderam'],
    ['pt', 'positive', 'adorei a viagem com a Bluefin, recomendo muito'],
    ['fr', 'negative', '@bluefinferries toujours pas de réponse, service nul'],
    ['fr', 'positive', "merci Bluefin, traversée parfaite, je recommande"],
    ['de', 'negative', '@bluefinferries immer noch keine Antwort, total enttäuscht'],
    ['it', 'negative', '@bluefinferries servizio pessimo, ancora nessuna risposta'],
    ['it', 'positive', 'grazie Bluefin, viaggio perfetto, lo consiglio'],
    ['nl', 'negative', '@bluefinferries nog steeds geen antwoord, wat een slechte service'],
    ['nl', 'positive', 'bedankt Bluefin, geweldige overtocht, echt een aanrader'],
  ])('reads a %s post as %s', (language, polarity, text) => {
    const c = classify(text, bluefin);
    expect(c.language).toBe(language);
    expect(c.polarity).toBe(polarity);
  });

  it('flags churn in another language', () => {
    expect(classify('@bluefinferries nunca más viajo con ustedes, me voy a la competencia', bluefin).flags).toContain('churn-risk');
  });

  it('gives no mood where it has neither vocabulary nor phrases, and says so', () => {
    const c = classify('@bluefinferries 최악의 서비스였습니다', bluefin);
    expect(c.polarity).toBe('neutral');
    expect(c.flags).toEqual([]);
    expect(c.evidence).toEqual(['mood not judged for Korean']);
    expect(c.needsReply).toBe(true);
  });

  it('reads a language with phrases but no vocabulary from its phrases, and says so', () => {
    const c = classify('@bluefinferries 最悪のサービスでした', bluefin);
    expect(c.polarity).toBe('negative');
    expect(c.evidence.slice(0, 2)).toEqual(['Japanese, from phrases only', 'complaint: "最悪"']);
  });

  it('still catches an impostor in another language', () => {
    const c = classify('Hola, envíanos tus datos por DM para el reembolso', bluefin, {
      author: { handle: 'bluefin_ayuda', name: 'Bluefin Soporte Oficial', followers: 3 },
    });
    expect(c.intent).toBe('spam');
    expect(c.impostor).toBeDefined();
  });
});
