import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTENTS, type Intent } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Intent: what a mention asks the team to do. The fixture is written by the team across
// invented software and service brands (notes, accounting, music, photos, shop builder,
// bank, ISP); the cue classes are in src/core/sentiment/intent-cues.ts.

interface Labelled {
  text: string;
  intent: Intent;
}

const fixture: Labelled[] = readFileSync(new URL('../fixtures/intent-mentions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Labelled);

describe('intent on the team-labelled fixture', () => {
  const predicted = fixture.map((row) => classify(row.text).intent);

  it('labels every line with a known intent and covers every intent', () => {
    for (const row of fixture) expect(INTENTS).toContain(row.intent);
    expect(new Set(fixture.map((row) => row.intent))).toEqual(new Set(INTENTS));
  });

  it('gets at least 80% of the mentions right', () => {
    const right = fixture.filter((row, i) => predicted[i] === row.intent).length;
    expect(right / fixture.length).toBeGreaterThanOrEqual(0.8);
  });

  it.each(INTENTS.map((intent) => [intent]))('finds at least 70% of the %s mentions', (intent) => {
    const rows = fixture.map((row, i) => ({ want: row.intent, got: predicted[i] })).filter((r) => r.want === intent);
    const found = rows.filter((r) => r.got === intent).length;
    expect(found / rows.length).toBeGreaterThanOrEqual(0.7);
  });
});

describe('bug reports (fault cues)', () => {
  it.each([
    ['the app crashes when I open my profile'],
    ['export to PDF gives me a blank page'],
    ['label printed blank. third time today.'],
    ['checkout throws a 500 with a coupon code'],
    ['upload stuck on 99% every time'],
    ['sync keeps failing on my laptop'],
    ['the print button is greyed out'],
    ['settings page is broken since the update'],
    ['getting error 0x80070005 on launch'],
    ['it logs me out whenever I switch tabs'],
  ])('reads "%s" as a bug', (text) => {
    expect(classify(text).intent).toBe('bug');
  });

  it('reads a feature that fails at its one job as a bug ("won\'t print", "unable to save")', () => {
    expect(classify("my invoices won't print").intent).toBe('bug');
    expect(classify('unable to save drafts on android').intent).toBe('bug');
    expect(classify('photos not syncing between devices').intent).toBe('bug');
  });

  it('does not read a bare number as an error code', () => {
    expect(classify('claim your 500 free points before midnight').intent).not.toBe('bug');
  });

  it('gives a bug reported without a feeling word some severity', () => {
    const result = classify('label printed blank. third time today.');
    expect(result.polarity).toBe('neutral');
    expect(result.severity).toBe(1);
  });
});

describe('outages (widespread cues) as against bugs', () => {
  it.each([
    ['is the app down? nothing loads'],
    ['down for anyone else?'],
    ['the status page says all green but nothing works'],
    ['no internet in the whole neighbourhood'],
    ['the dashboard is not loading for anyone in our office'],
    ['@acme down during our biggest sale'],
    ['every page returns 503'],
  ])('reads "%s" as an outage', (text) => {
    expect(classify(text).intent).toBe('outage');
  });

  it('reads one user\'s symptom without a sign of many users as a bug', () => {
    expect(classify("the reports tab won't load").intent).toBe('bug');
  });

  it('gives an outage reported calmly medium severity', () => {
    expect(classify('is the app down? nothing loads for me or my team').severity).toBe(2);
  });

  it('does not read "upside down" or "offline mode" as an outage', () => {
    expect(classify('my labels print upside down').intent).not.toBe('outage');
    expect(classify('it would be nice to have an offline mode').intent).toBe('feature-request');
  });
});

describe('billing (money and plan cues)', () => {
  it.each([
    ['I was charged twice this month'],
    ['still waiting on my refund'],
    ['my bill is $40 higher than last month'],
    ['the free trial converted to a paid plan without warning'],
    ['how do I cancel my subscription?'],
    ['where can I download my invoices?'],
    ['your pricing went up again'],
  ])('reads "%s" as billing', (text) => {
    expect(classify(text).intent).toBe('billing');
  });

  it('reads a fault in the billing pages as a bug, not billing', () => {
    expect(classify('the invoice preview is broken since the update').intent).toBe('bug');
  });

  it('reads praise that names the subscription as praise', () => {
    expect(classify('love this app, worth every cent of the subscription').intent).toBe('praise');
  });
});

describe('feature requests (wish cues)', () => {
  it.each([
    ['please add a sleep timer'],
    ['would love a keyboard shortcut for strikethrough'],
    ["it'd be cool if playlists showed the year"],
    ['feature request: reorder albums by drag and drop'],
    ['can you add Apple Pay?'],
    ['any plans to support OFX import?'],
    ['bring back the old compact list'],
    ['I wish the app had a widget'],
    ['would pay extra for scheduled pickups'],
    ["why can't I add a second currency to an invoice?"],
  ])('reads "%s" as a feature request', (text) => {
    expect(classify(text).intent).toBe('feature-request');
  });

  it('still reads a request with a real complaint in it as a complaint', () => {
    expect(classify('please add a phone line, I have been on hold for 2 hours').intent).toBe('complaint');
  });
});

describe('how-to questions (howto cues)', () => {
  it.each([
    ['how do I print a return label for a customer who lost theirs'],
    ['how do I get rid of the annoying popup?'],
    ['is there a way to merge two accounts?'],
    ['where do I find the API keys?'],
    ['does the app work with Stripe?'],
    ['what happens to my files if I downgrade?'],
    ["what's the max upload size?"],
  ])('reads "%s" as a question, even with a mild negative word', (text) => {
    expect(classify(text).intent).toBe('question');
  });

  it('reads a how-to asked in anger as a complaint', () => {
    expect(classify('how do I talk to a human? on hold for an hour, nobody answers').intent).toBe('complaint');
  });
});

describe('intent cues and the mood', () => {
  it('leaves polarity and score as the mood cues set them (intent cues weigh nothing)', () => {
    const result = classify('the app crashes when I open my profile');
    expect(result.polarity).toBe('negative');
    expect(classify('feature request: export to CSV').score).toBe(0);
    expect(classify('is there a way to merge two accounts?').score).toBe(0);
    expect(classify('down for anyone else?').polarity).toBe('neutral');
  });
});
