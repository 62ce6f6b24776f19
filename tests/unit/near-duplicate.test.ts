import { describe, expect, it } from 'vitest';
import { comparableWords, duplicateSignature, signatureKeys, type DuplicateSignature } from '../../src/core/near-duplicate.js';

const sign = (text: string): DuplicateSignature | undefined => duplicateSignature({ text });

function signed(text: string): DuplicateSignature {
  const signature = sign(text);
  if (!signature) throw new Error(`no signature for: ${text}`);
  return signature;
}

const sharesBand = (a: DuplicateSignature, b: DuplicateSignature): boolean => a.bands.some((band) => b.bands.includes(band));
const meet = (a: string, b: string): boolean => {
  const [x, y] = [signed(a), signed(b)];
  return x.exact === y.exact || sharesBand(x, y);
};

/** Different customers, different problems, one brand: invented, varied in length and tone. */
const COMPLAINTS = [
  '@parcelly my label printed blank again and I have 40 parcels to ship before the 5pm collection',
  '@parcelly you charged my card twice for the same label yesterday and support has not answered my email',
  'Parcelly driver left my parcel in the rain outside the building door, the box is soaked and the book inside ruined',
  'tracking has said out for delivery for three days now @parcelly, where is my parcel actually',
  "@parcelly the app logs me out every time I open the scanner, can't print anything from my phone",
  'been on hold with parcelly for over an hour trying to change the delivery address for my mum',
  'been on hold for over an hour with @parcelly and nobody can tell me why my refund was refused',
  '@parcelly why does the price of a small parcel to Ireland jump by four pounds at checkout',
  'parcel marked as delivered but it never arrived, neighbours have nothing either @parcelly please look into it',
  '@parcelly the drop off shop on Mill Lane closed down and your map still sends people there',
  'courier from @parcelly was rude to my elderly dad and threw the parcel over the gate',
  '@parcelly your website crashes whenever I try to pay with a business account, tried three browsers',
  'I printed the return label but the QR code will not scan at the locker @parcelly',
  "@parcelly how is it possible that a next day parcel takes six days, I paid extra for speed",
  'damaged parcel claim rejected because I did not keep the packaging, nobody told me I had to @parcelly',
  '@parcelly the customs form keeps asking for a tariff code I already entered and then deletes it',
  'can someone at @parcelly explain why my account is suspended with no warning after five years of use',
  '@parcelly bulk upload from my shop export fails on every row with an unknown error message',
  'the locker at the station was full so the courier took my parcel back to the depot miles away @parcelly',
  '@parcelly I was promised a callback within 24 hours last week and I am still waiting for anyone to ring',
  'your collection van never showed up today and I stayed home all day for nothing @parcelly',
  "@parcelly insurance on high value items doesn't cover jewellery and that is not stated anywhere at checkout",
  'every time I book a collection @parcelly sends me two confirmation emails with different dates',
  "@parcelly the delivery photo shows someone else's front door, my parcel went to the wrong house",
  'label size setting resets to A4 every time, I print on thermal rolls, this wastes so much time @parcelly',
  '@parcelly the chat bot just loops back to the main menu whatever I type, I need a human please',
  'been on hold for an hour and the line cut off when I finally got through @parcelly absolutely useless',
  '@parcelly my invoice shows a fuel surcharge that was never mentioned when I booked the shipment',
  'the estimated delivery window says 9 to 5, could @parcelly give anything narrower than the whole day',
  '@parcelly my parcel has been stuck at the hub in Leeds since Monday with no update at all',
];

describe('duplicateSignature: equal for copies of one post', () => {
  const original = '@parcelly my label printed blank again and I have 40 parcels to ship before the collection';

  it('ignores a leading RT, retweet chains and the handles they name', () => {
    expect(signed(`RT @dana: ${original}`).exact).toBe(signed(original).exact);
    expect(signed(`RT @sam: RT @dana: ${original}`).exact).toBe(signed(original).exact);
  });

  it('ignores @handles, so one text from many accounts tagging different people is one text', () => {
    const a = signed('@parcelly @bob my label printed blank again and I have parcels to ship before the collection');
    const b = signed('@Parcelly @alice.bsky.social @wren@mastodon.social my label printed blank again and I have parcels to ship before the collection');
    expect(a.exact).toBe(b.exact);
  });

  it('ignores links, emoji, case, punctuation, HTML entities and accents', () => {
    const a = signed('My label printed BLANK again!!! 😡 https://t.co/abc123 and I have parcels to ship &amp; a café order');
    const b = signed('my label printed blank again... and I have parcels to ship & a cafe order www.example.com/p/1 🙄');
    expect(a.exact).toBe(b.exact);
    expect(signed('label printed blank again, see bit.ly/x9Y2 for photos of it').exact).toBe(signed('label printed blank again see for photos of it').exact);
  });

  it('ignores numbers used as ids, tracking codes and counters, and the hashtags that close a post', () => {
    const a = signed('my parcel PX1234567GB has been stuck at the hub since Monday #parcelly #fail');
    const b = signed('my parcel PX9988776GB has been stuck at the hub since Monday #123');
    const c = signed('My parcel has been stuck at the #hub since Monday');
    expect(a.exact).toBe(b.exact);
    expect(c.exact).toBe(a.exact);
  });

  it('ignores a closing "via @someone"', () => {
    expect(signed('Parcelly drivers now collect returns from your door for free via @newsdesk').exact).toBe(
      signed('Parcelly drivers now collect returns from your door for free').exact,
    );
  });

  it('keeps words: a negation or a different problem is a different post', () => {
    expect(signed('the parcelly app works on my phone after the update').exact).not.toBe(signed('the parcelly app never works on my phone after the update').exact);
    expect(signed('my label printed blank again this morning at the shop').exact).not.toBe(signed('my label printed twice again this morning at the shop').exact);
  });
});

describe('duplicateSignature: near duplicates share a band', () => {
  const post = 'been on hold with parcelly for over an hour trying to change the delivery address for my mum before tomorrow';

  it('a copy with one word changed', () => {
    expect(meet(post, post.replace('mum', 'dad'))).toBe(true);
  });

  it('a quote that adds a few words', () => {
    expect(meet(post, `this is so true, same here: "${post}"`)).toBe(true);
  });

  it('a repost cut short by the platform', () => {
    expect(meet(`RT @dana: ${post}`, `RT @dana: ${post.split(' ').slice(0, 16).join(' ')}…`)).toBe(true);
  });

  it('most of a varied set of posts after one word is changed, a word dropped or a few added', () => {
    const long = COMPLAINTS.filter((text) => comparableWords(text).length >= 14);
    const edits = [
      (words: string[]) => words.map((w, i) => (i === Math.floor(words.length / 2) ? 'xyzzy' : w)),
      (words: string[]) => words.filter((_, i) => i !== Math.floor(words.length / 3)),
      (words: string[]) => ['wow', 'same', 'here', ...words],
    ];
    let met = 0;
    for (const text of long) for (const edit of edits) if (meet(text, edit(text.split(' ')).join(' '))) met++;
    // 89 of 90 with the defaults: a band is a likelihood, not a certainty.
    expect(long.length).toBeGreaterThanOrEqual(25);
    expect(met / (long.length * edits.length)).toBeGreaterThanOrEqual(0.85);
  });
});

describe('duplicateSignature: different posts do not meet', () => {
  it('no two different complaints about one brand share a key, stock phrases and all', () => {
    const signatures = COMPLAINTS.map(signed);
    const meetings: string[] = [];
    for (let i = 0; i < signatures.length; i++) {
      for (let j = i + 1; j < signatures.length; j++) {
        const shared = signatureKeys(signatures[i]!).filter((key) => signatureKeys(signatures[j]!).includes(key));
        if (shared.length) meetings.push(`${COMPLAINTS[i]} | ${COMPLAINTS[j]}`);
      }
    }
    expect(meetings).toEqual([]);
  });

  it('joins posts built from the same stock phrases only when much of the text is the same, in order', () => {
    // Invented posts that share phrases the way a busy hour's complaints do: 4 slots of 8
    // phrases, each post a seeded random pick; pairs grouped by how many phrases they share.
    const slots = [
      ['been on hold for over an hour', 'I have waited all week', 'this is the third time', 'honestly fed up now', 'not happy at all today', 'second day in a row', 'I give up on this', 'still nothing this morning'],
      ['my parcel is stuck at the hub', 'the label printed blank', 'the driver never came', 'my refund was refused', 'the app keeps crashing', 'the locker would not open', 'I was charged twice', 'the tracking page is wrong'],
      ['and support will not answer', 'and nobody calls me back', 'and the chat bot is useless', 'and the email bounced', 'and the shop sent me away', 'and the form keeps failing', 'and the depot is closed', 'and the phone line cuts off'],
      ['please sort it out', 'what do I do now', 'can someone help me', 'this is not acceptable', 'fix it please', 'I need it by friday', 'thanks for nothing', 'so disappointed'],
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const posts = Array.from({ length: 300 }, () => slots.map((options) => random(options.length)));
    const signatures = posts.map((picks) => signed(`@parcelly ${picks.map((p, s) => slots[s]![p]).join(' ')}`));
    const pairs = [0, 0, 0, 0, 0];
    const met = [0, 0, 0, 0, 0];
    for (let i = 0; i < posts.length; i++) {
      for (let j = i + 1; j < posts.length; j++) {
        const shared = posts[i]!.filter((p, s) => p === posts[j]![s]).length;
        pairs[shared]!++;
        const [a, b] = [signatures[i]!, signatures[j]!];
        if (a.exact === b.exact || sharesBand(a, b)) met[shared]!++;
      }
    }
    const rate = (shared: number) => met[shared]! / pairs[shared]!;
    // Measured with the defaults: none of 41,739 pairs sharing at most one phrase;
    // 44 of 2,790 sharing two (1.6%: half the text, word for word); 135 of 321 sharing
    // three (42%: mostly one text).
    expect(pairs[0]! + pairs[1]!).toBeGreaterThan(40_000);
    expect(met[0]! + met[1]!).toBe(0);
    expect(rate(2)).toBeLessThan(0.03);
    expect(rate(3)).toBeGreaterThan(0.3);
  });
});

describe('duplicateSignature: short posts', () => {
  it('gives none to posts too short to call copies: many customers write "is the app down?"', () => {
    expect(sign('@parcelly is the app down?')).toBeUndefined();
    expect(sign('still no refund @parcelly')).toBeUndefined();
    expect(sign('RT @dana: where is my parcel??? https://t.co/x 😡 #fail')).toBeUndefined();
    expect(sign('')).toBeUndefined();
  });

  it('gives short posts an exact key and no bands: a one-word change there is a different post', () => {
    const signature = signed('parcelly label printer offline again today');
    expect(signature.exact).toMatch(/^e\.[0-9a-f]{16}$/);
    expect(signature.bands).toEqual([]);
  });

  it('gives longer posts twelve band keys', () => {
    const signature = signed(COMPLAINTS[0]!);
    expect(signature.bands).toHaveLength(12);
    expect(signature.bands.every((band, i) => band.startsWith(`b${i}.`))).toBe(true);
  });
});

describe('comparableWords', () => {
  it('reads letters of any script, folds accents and drops words holding digits', () => {
    expect(comparableWords('Ça marche pas, 2ème fois: Zustellung fehlgeschlagen ① ДОСТАВКА')).toEqual(['ca', 'marche', 'pas', 'fois', 'zustellung', 'fehlgeschlagen', 'доставка']);
  });

  it("keeps contractions whole and hashtags inside the sentence as words", () => {
    expect(comparableWords("I can't find the #returns page, it's gone #fail #parcelly")).toEqual(['i', 'cant', 'find', 'the', 'returns', 'page', 'its', 'gone']);
  });
});
