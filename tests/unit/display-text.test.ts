import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanText, decodeEntities, safeForDiscord, safeForTerminal } from '../../src/core/display-text.js';
import type { Mention } from '../../src/core/mention.js';

const ZWSP = '\u200b';
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const PING = /@(everyone|here)/i;
const DISCORD_TOKEN = /<(@|#|\/|a?:|t:|id:)/;
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udfff]/u;
const FAMILY = '👨\u200d👩\u200d👧\u200d👦';

describe('cleanText', () => {
  it('decodes the common HTML entities once, so &amp;lt; stays &lt;', () => {
    expect(cleanText('shipping &amp; returns &lt;3 &quot;ok&quot; it&#39;s &apos;fine&apos;')).toBe(
      'shipping & returns <3 "ok" it\'s \'fine\'',
    );
    expect(cleanText('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
  });

  it('decodes numeric entities and leaves invalid or unknown ones as written', () => {
    expect(decodeEntities('&#128230; &#x1F4E6; &#xD800; &#99999999; &bogus; &constructor;')).toBe(
      '📦 📦 &#xD800; &#99999999; &bogus; &constructor;',
    );
  });

  it('removes zero-width, word-joiner, soft-hyphen, BOM and bidi control characters', () => {
    expect(cleanText('P\u200ba\u200cr\u200ec\u200fe\u2060l\u00adl\ufeffy \u202aa\u202bb\u202cc\u202dd\u202ee \u2066f\u2067g\u2068h\u2069')).toBe(
      'Parcelly abcde fgh',
    );
  });

  it('keeps the zero-width joiner inside emoji sequences so a family emoji survives', () => {
    expect(cleanText(`${FAMILY} and 🏳️\u200d🌈 but not a\u200db or 📦\u200d`)).toBe(`${FAMILY} and 🏳️\u200d🌈 but not ab or 📦`);
  });

  it('keeps subdivision flags but drops stray tag characters', () => {
    const scotland = '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}';
    expect(cleanText(`${scotland} hidden\u{e0049}\u{e0047}\u{e004e}`)).toBe(`${scotland} hidden`);
  });

  it('removes control characters but keeps newlines, turning CRLF into a newline and tabs into a space', () => {
    expect(cleanText('a\u0000b\u0007c\u0008\td\r\ne\rf\u0085g\u2028h')).toBe('abc d\ne\nf\ng\nh');
  });

  it('removes ANSI colour, cursor and title sequences entirely, not just the escape byte', () => {
    expect(cleanText('\u001b[31mRED\u001b[0m \u001b]0;pwned\u0007title \u001b[2J\u001b[Hclear \u009b1mC1 \u001bcreset')).toBe(
      'RED title clear C1 reset',
    );
  });

  it('catches characters smuggled in as entities', () => {
    expect(cleanText('a&#8238;b &#27;[31mred &#x200B;c')).toBe('ab red c');
  });

  it('collapses runs of spaces and keeps at most one blank line between paragraphs', () => {
    expect(cleanText('  one\u00a0\u00a0 two   \n\n\n\n  three\u3000four  \n \n \n')).toBe('one two\n\nthree four');
  });

  it('cuts zalgo runs of combining marks down to four per letter', () => {
    const zalgo = `P${'\u0337\u0322\u0323\u0318\u0319\u031a\u031b'}y`;
    expect(cleanText(zalgo)).toBe('P\u0337\u0322\u0323\u0318y');
  });

  it('removes lone surrogates but keeps well-formed pairs', () => {
    expect(cleanText('a\ud800b\udc00c 📦')).toBe('abc 📦');
  });
});

describe('safeForDiscord', () => {
  it('breaks @everyone and @here with a zero-width space so they cannot ping', () => {
    expect(safeForDiscord('@everyone and @here and @Everyone', 100)).toBe(
      `@${ZWSP}everyone and @${ZWSP}here and @${ZWSP}Everyone`,
    );
  });

  it('breaks @everyone that the author disguised with their own zero-width space or an entity', () => {
    for (const text of [`@${ZWSP}everyone`, '@\u2060here', '&#64;everyone', '@\u202eeveryone']) {
      expect(safeForDiscord(text, 100), text).not.toMatch(PING);
    }
  });

  it('breaks user, role, channel, command, emoji and timestamp tokens but shows them as typed', () => {
    const tokens = ['<@123456789012345678>', '<@!123>', '<@&456>', '<#789>', '</refund:1234>', '<:parcelly:99>', '<a:spin:98>', '<t:1795190400:R>'];
    for (const token of tokens) {
      const shown = safeForDiscord(token, 100);
      expect(shown, token).not.toMatch(DISCORD_TOKEN);
      expect(shown.replaceAll(ZWSP, ''), token).toBe(token);
    }
  });

  it('escapes inline markdown so bold, italics, code, strikes, spoilers and masked links show literally', () => {
    expect(safeForDiscord('**bold** _it_ `code` ~~gone~~ ||spoiler|| [click](http://x.com)', 200)).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~gone\\~\\~ \\|\\|spoiler\\|\\| \\[click\\]\\(http://x.com\\)',
    );
  });

  it('escapes headings, quotes, lists and subtext only at the start of a line', () => {
    expect(safeForDiscord('# PARCELLY\n> be me\n- item\n-# small\n12. step\nnot # a > heading - 1. here', 200)).toBe(
      '\\# PARCELLY\n\\> be me\n\\- item\n\\-# small\n12\\. step\nnot # a > heading - 1. here',
    );
  });

  it('escapes a backslash so it cannot cancel our escapes', () => {
    expect(safeForDiscord('\\*not bold*', 50)).toBe('\\\\\\*not bold\\*');
  });

  it('leaves URLs unescaped so they still link', () => {
    expect(safeForDiscord('see https://example.com/a_b*c_(d) now', 100)).toBe('see https://example.com/a_b*c_(d\\) now');
  });

  it('strips a bidi override so a file name cannot be disguised', () => {
    expect(safeForDiscord('refund_invoice_\u202efdp.exe\u202c', 100)).toBe('refund\\_invoice\\_fdp.exe');
  });

  it('keeps text that fits as it is and returns nothing for a zero limit', () => {
    expect(safeForDiscord('label printed blank. third time today.', 38)).toBe('label printed blank. third time today.');
    expect(safeForDiscord('anything', 0)).toBe('');
  });

  it('truncates to maxLength with an ellipsis, never splitting a surrogate pair', () => {
    const text = '📦'.repeat(10);
    for (let max = 1; max < text.length; max += 1) {
      const shown = safeForDiscord(text, max);
      expect(shown.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(shown.endsWith('…')).toBe(true);
      expect(shown, `max ${max}`).not.toMatch(LONE_SURROGATE);
    }
  });

  it('never cuts an escape, an inserted zero-width space or an emoji sequence in half', () => {
    const text = `**@everyone** <@1> ${FAMILY} _x_`;
    const full = safeForDiscord(text, 1000);
    for (let max = 1; max < full.length; max += 1) {
      const shown = safeForDiscord(text, max);
      const kept = shown.slice(0, -1);
      const where = `max ${max}: ${shown}`;
      expect(shown.length, where).toBeLessThanOrEqual(max);
      expect(shown.endsWith('…'), where).toBe(true);
      expect(full.startsWith(kept), where).toBe(true);
      expect(kept, where).not.toMatch(/(^|[^\\])(\\\\)*\\$|\u200d$/);
      expect(['\u200b', '\u200d', '\udc68', '\udc69', '\udc67', '\udc66'], where).not.toContain(full[kept.length]);
    }
  });
});

describe('safeForTerminal', () => {
  it('strips ANSI sequences and C0 and C1 controls but keeps newlines', () => {
    expect(safeForTerminal('\u001b[31mURGENT\u001b[0m\nline\u0007two\u009b2J\u0090dcs\u001b\\', 100)).toBe('URGENT\nlinetwo');
  });

  it('leaves markdown and mentions alone, since a terminal does not render them', () => {
    expect(safeForTerminal('**hi** @everyone <@1>', 100)).toBe('**hi** @everyone <@1>');
  });

  it('truncates with an ellipsis on a grapheme boundary', () => {
    expect(safeForTerminal(`ab ${FAMILY} cd`, 14)).toBe('ab…');
    expect(safeForTerminal(`ab ${FAMILY} cd`, 15)).toBe(`ab ${FAMILY}…`);
  });
});

function readSamples(): Mention[] {
  const file = new URL('../../samples/mentions.jsonl', import.meta.url);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Mention);
}

const HOSTILE = /@(everyone|here)|<[@#/:at]|[*_`|~[\]>#]|&#?\w+;|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\n|\p{M}{3}/u;
const LIMITS = [1, 2, 40, 280, 4096];

describe('the sample mentions', () => {
  const hostile = readSamples().filter((mention) => HOSTILE.test(mention.text) || HOSTILE.test(mention.author.name));

  it('include enough hostile lines to be worth checking', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(20);
  });

  it('never ping, reorder, hide characters or overflow when shown in Discord', () => {
    for (const mention of hostile) {
      for (const text of [mention.text, mention.author.name]) {
        for (const max of LIMITS) {
          const shown = safeForDiscord(text, max);
          const where = `${mention.source} ${mention.id} at ${max}`;
          expect(shown.length, where).toBeLessThanOrEqual(max);
          expect(shown, where).not.toMatch(PING);
          expect(shown, where).not.toMatch(DISCORD_TOKEN);
          expect(shown, where).not.toMatch(BIDI);
          expect(shown, where).not.toMatch(CONTROL);
          expect(shown, where).not.toMatch(LONE_SURROGATE);
          expect(shown.replace(/[@<]\u200b/g, ''), where).not.toMatch(/[\u200b\u200c\u2060-\u2064\ufeff]/);
        }
      }
    }
  });

  it('never carry escape sequences, controls or bidi characters to a terminal', () => {
    for (const mention of hostile) {
      for (const max of LIMITS) {
        const shown = safeForTerminal(mention.text, max);
        const where = `${mention.source} ${mention.id} at ${max}`;
        expect(shown.length, where).toBeLessThanOrEqual(max);
        expect(shown, where).not.toMatch(CONTROL);
        expect(shown, where).not.toMatch(BIDI);
        expect(shown, where).not.toMatch(LONE_SURROGATE);
      }
    }
  });
});

describe('plainForDiscord, for fields Discord shows without markdown', () => {
  it('adds no backslashes, breaks mass mentions, removes invisible characters and cuts on a grapheme', async () => {
    const { plainForDiscord } = await import('../../src/core/display-text.js');
    expect(plainForDiscord('Kiln & Crate Ceramics (@kilnandcrate) *x*', 256)).toBe('Kiln & Crate Ceramics (@kilnandcrate) *x*');
    expect(plainForDiscord('@everyone\u202e hi\nthere', 256)).toBe('@\u200beveryone hi there');
    expect(plainForDiscord('Reply to @👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦', 20)).toBe('Reply to @…');
  });
});
