import { DiscordAPIError, type APIEmbed } from 'discord.js';
import type { CardMessage } from './card.js';

/** Whether Discord refused the message body itself (400, 50035 Invalid Form Body). */
export function isRefusedBody(error: unknown): error is DiscordAPIError {
  return error instanceof DiscordAPIError && error.status === 400 && Number(error.code) === 50035;
}

/** The field paths Discord named, e.g. `embeds.0.author.url`, from its nested `errors`. */
export function refusedPaths(error: DiscordAPIError): string[] {
  const paths: string[] = [];
  const walk = (node: unknown, at: string[]) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '_errors') paths.push(at.join('.'));
      else walk(value, [...at, key]);
    }
  };
  walk((error.rawError as { errors?: unknown }).errors, []);
  return paths.length ? paths : ['(unnamed field)'];
}

const NOTE = '⚠️ Shown simplified';

/**
 * Steps to a card Discord will take, each plainer than the last: first without links and
 * images (the usual cause), then without the fields. The text and the buttons stay: a
 * mention never loses its card to presentation. The card says what was left out.
 */
export function simplerCards(card: CardMessage, refused: string[]): CardMessage[] {
  const why = `Discord refused part of this card (${refused.slice(0, 3).join(', ').slice(0, 200)}); shown without it.`;
  const embeds = (card.embeds ?? []) as APIEmbed[];
  const noLinks = embeds.map((e) => {
    const { url: _url, image: _image, thumbnail: _thumbnail, ...rest } = e;
    const author = e.author ? { name: e.author.name } : undefined;
    const footer = e.footer ? { text: e.footer.text } : undefined;
    const fields = [...(e.fields ?? []).slice(0, 24), { name: NOTE, value: why }];
    return { ...rest, ...(author ? { author } : {}), ...(footer ? { footer } : {}), fields };
  });
  const bare = embeds.map((e) => ({
    ...(e.title ? { title: e.title } : {}),
    description: `${(e.description ?? '').slice(0, 3500)}\n\n${NOTE}: ${why}`,
    ...(e.color !== undefined ? { color: e.color } : {}),
  }));
  return [
    { ...card, embeds: noLinks },
    { ...card, embeds: bare },
  ];
}
