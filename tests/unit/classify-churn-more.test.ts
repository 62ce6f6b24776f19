import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// More ways to say one is leaving, for invented brands: a broadband provider (Fibrelane),
// a pet-food subscription (Kibblebox), a mobile game (Shardfall).
const fibrelane: BrandTerms = { names: ['Fibrelane'], handles: ['@fibrelane'] };
const kibblebox: BrandTerms = { names: ['Kibblebox'], handles: ['@kibblebox'] };
const shardfall: BrandTerms = { names: ['Shardfall'], handles: ['@shardfall'] };

describe('churn-risk, more wordings', () => {
  it.each([
    ['a rival named without a handle', 'third outage this month. switching to Openreach Plus next week @fibrelane', fibrelane],
    ['moving the team to a rival', 'moving the whole office over to Netwave on Friday, thanks for nothing Fibrelane', fibrelane],
    ['a date with a rival', "we'll be on Netwave by Monday. @fibrelane you had two weeks", fibrelane],
    ['going back to a rival', 'going back to Purina Direct, Kibblebox keeps sending the wrong bag', kibblebox],
    ['a vow not to come back', "I'll never order from them again. Kibblebox lost three deliveries in a row", kibblebox],
    ['quitting', 'banned for no reason after 400 hours. I am quitting Shardfall', shardfall],
    ['uninstalling', 'uninstalling Shardfall, the new energy system is a cash grab', shardfall],
    ['going elsewhere', "price up again @fibrelane? we'll go elsewhere", fibrelane],
    ['the last month with them', 'this is my last month with @fibrelane', fibrelane],
    ['thinking about leaving', 'seriously thinking about cancelling Kibblebox after this box', kibblebox],
    ['jumping ship', 'half my guild is jumping ship from Shardfall', shardfall],
    ['booking with someone else', 'Booking with someone else next time, @fibrelane', fibrelane],
    ['next time another way', "next time I'll take the bus. @kibblebox lost the order again", kibblebox],
    ['wanting out', 'how do I get out of my contract with @fibrelane? I want to leave', fibrelane],
    ['a lost customer', "you've lost me @kibblebox", kibblebox],
    ['asking for alternatives', 'can anyone recommend a good alternative to Fibrelane?', fibrelane],
    ['about to switch', 'honestly about to switch, third outage this month @fibrelane', fibrelane],
    ['saying goodbye', 'bye @kibblebox. eight years and this is how you treat people', kibblebox],
  ])('flags %s', (_kind, text, brand) => {
    const c = classify(text, brand);
    expect(c.flags).toContain('churn-risk');
    expect(c.polarity).toBe('negative');
  });

  it.each([
    ['a move to a city', 'moving to Berlin next month, can I keep my Fibrelane plan?', fibrelane],
    ['a switch of plan', 'switched to annual on Kibblebox, cheaper per bag', kibblebox],
    ['a switch of phone', 'switched to Android and Shardfall runs fine', shardfall],
    ['a wish to uninstall a part', 'Shardfall should at least let you uninstall the anti-cheat between sessions', shardfall],
    ['quitting something else', "I'm quitting smoking and Shardfall is keeping my hands busy", shardfall],
    ['never switching away', "I'd never switch from Fibrelane, best line I've had", fibrelane],
    ['a story, not a vow', 'never had this problem again after the Kibblebox fix', kibblebox],
    ['a plan for the next visit', "next time I'll book the window seat, loved the Fibrelane installer", fibrelane],
    ['cancelling one order', "about to cancel my order, it's been 2 hours @kibblebox", kibblebox],
    ['leaving for somewhere', "I'm leaving for the airport now, Fibrelane's hotspot worked all week", fibrelane],
    ['alternative dates', '@fibrelane any alternative dates for the engineer visit?', fibrelane],
  ])('does not flag %s', (_kind, text, brand) => {
    expect(classify(text, brand).flags).not.toContain('churn-risk');
  });
});

describe('churn-risk in other languages', () => {
  it.each([
    ['Spanish', 'Si no me devolvéis el dinero esta semana me cambio de compañía. @fibrelane'],
    ['Portuguese', 'Cancelei a assinatura. Três meses sem internet decente, Fibrelane.'],
    ['French', "C'est la dernière fois que je commande chez Kibblebox, colis perdu encore une fois."],
    ['German', 'Habe heute bei Fibrelane gekündigt, seit Wochen kein Internet.'],
    ['Italian', "Ho disdetto l'abbonamento Fibrelane, la linea cade ogni sera."],
    ['Dutch', 'Ik stap over naar een andere provider, Fibrelane werkt al weken niet.'],
  ])('flags a %s goodbye', (_language, text) => {
    const c = classify(text, fibrelane);
    expect(c.flags).toContain('churn-risk');
  });
});

describe('charges in other languages', () => {
  it.each([
    ['Spanish', 'Me habéis cobrado de más este mes, ¿me lo podéis revisar? @fibrelane', 'es'],
    ['French', "J'ai été débité deux fois pour la même commande, pouvez-vous me rembourser ?", 'fr'],
    ['Italian', 'Mi avete addebitato il mese intero anche se ho disattivato la linea. Potete controllare?', 'it'],
    ['German', 'Mir wurde eine Gebühr berechnet, obwohl der Tarif kostenlos ist.', 'de'],
  ])('reads a %s charge as a negative billing matter', (_language, text, language) => {
    const c = classify(text, fibrelane);
    expect(c.language).toBe(language);
    expect(c.intent).toBe('billing');
    expect(c.polarity).toBe('negative');
  });
});

describe('lost work and a direct debit', () => {
  it('reads years of work deleted, with "unbelievable", as an angry complaint', () => {
    const c = classify("Kibblebox deleted 3 years of my order history after the 'migration'. support says it can't be restored. unbelievable", kibblebox);
    expect(c.polarity).toBe('negative');
    expect(c.flags).toContain('angry');
  });

  it('reads a direct debit that doubled as billing', () => {
    expect(classify('@fibrelane my direct debit went up from £32 to £64 with no explanation. can someone explain?', fibrelane).intent).toBe('billing');
  });

  it('reads a Spanish charge in any person of the verb as billing', () => {
    expect(classify('@fibrelane me cobrasteis la cuota dos veces este mes. ¿Me podéis devolver uno de los cargos?', fibrelane).intent).toBe('billing');
  });
});
