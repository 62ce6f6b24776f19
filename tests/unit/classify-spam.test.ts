import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Spam and impostors, written by the team for invented brands in several industries: a
// bank (Fernbank), a telecom (Brightwave), a game studio (Tidepool Games), a food delivery
// app (Crumbly).
const fernbank: BrandTerms = { names: ['Fernbank'], handles: ['@fernbank', '@fernbankhelp'] };
const brightwave: BrandTerms = { names: ['Brightwave'], handles: ['@brightwave'] };
const crumbly: BrandTerms = { names: ['Crumbly'], handles: ['@crumbly', 'crumbly.app'] };
const customer = { handle: 'jo_baker', name: 'Jo Baker', followers: 320 };

describe('spam', () => {
  it.each([
    ['phishing', 'Your Fernbank card has been locked. Confirm your identity within 12h or it will be closed: fern-secure.example'],
    ['asking for secrets', '@fernbank customers: to release your payment, message us your account number and the one-time code we sent'],
    ['a giveaway', 'Huge giveaway!! Follow us and repost to win a year of free @crumbly deliveries 🍕🍕'],
    ['follower selling', 'gain 10k real followers in 48h, cheap, works for @brightwave fans too'],
    ['crypto', 'double your bitcoin in 24h, guaranteed returns, dm for details @tidepoolgames'],
    ['SEO junk', 'Top 7 Brightwave alternatives you should know, plus Brightwave promo codes for today'],
    ['a fake customer-care listing', 'Crumbly customer care number: +44 800 000 0000 toll free for refunds'],
  ])('reads %s as spam, with no mood and no reply', (_kind, text) => {
    const c = classify(text, fernbank, { source: 'x', author: customer });
    expect(c.intent).toBe('spam');
    expect(c.flags).toEqual([]);
    expect(c.severity).toBe(0);
    expect(c.needsReply).toBe(false);
    expect(c.evidence[0]).toMatch(/^spam: /);
  });

  it('does not read a customer warning others about a scam as spam', () => {
    const c = classify('got a text saying my Fernbank account is locked and to verify your account at some link. is this legit?', fernbank, { author: customer });
    expect(c.intent).not.toBe('spam');
    expect(c.needsReply).toBe(true);
  });

  it('does not read a customer whose own account was locked as spam', () => {
    expect(classify('@fernbank my account has been locked for three days and nobody answers', fernbank).intent).toBe('complaint');
  });

  it('reads a link to a domain that dresses the brand name up as spam', () => {
    const c = classify('Delivery failed. Reschedule at https://crumbly-redelivery-help.example/track', crumbly);
    expect(c.intent).toBe('spam');
    expect(c.evidence[0]).toBe('lookalike domain: "crumbly-redelivery-help.example"');
  });

  it("leaves links to the brand's own domain alone", () => {
    expect(classify('the new menu on https://crumbly.app/menu is lovely', crumbly).intent).not.toBe('spam');
  });

  it('reads a program dressed as a document as spam', () => {
    expect(classify('your Brightwave bill is ready: bill_march_fdp.exe', brightwave).intent).toBe('spam');
  });
});

describe('impostors', () => {
  it('names the reason when a support-sounding account built on the brand name is not one of its handles', () => {
    const c = classify('Hi, sorry about your card! Send us a DM with the details and we will fix it', fernbank, {
      source: 'x',
      author: { handle: 'fernbank_supportdesk', name: 'Fernbank Support', followers: 12 },
    });
    expect(c.intent).toBe('spam');
    expect(c.impostor).toBe('"Fernbank Support" (@fernbank_supportdesk) poses as the brand\'s support but is not one of its handles');
    expect(c.needsReply).toBe(false);
  });

  it('sees through digits for letters and a check mark typed into the name', () => {
    const c = classify('we can help with that, check your DMs', brightwave, { author: { handle: 'br1ghtwave_care', name: 'Brightwave ✔', followers: 40 } });
    expect(c.impostor).toMatch(/poses as the brand's support/);
  });

  it("never calls the brand's own accounts impostors, nor fans who only like the brand", () => {
    const own = classify('We are looking into slow deliveries in Leeds tonight', crumbly, { author: { handle: 'crumbly', name: 'Crumbly Support', followers: 90_000 } });
    expect(own.impostor).toBeUndefined();
    expect(own.needsReply).toBe(false);
    const fan = classify('crumbly pizza night again 🍕', crumbly, { author: { handle: 'crumbly_fan_99', name: 'Crumbly fan', followers: 80 } });
    expect(fan.impostor).toBeUndefined();
    expect(fan.intent).not.toBe('spam');
  });
});
