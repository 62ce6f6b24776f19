import type { APIEmbed } from 'discord.js';
import { safeForTerminal } from '../core/display-text.js';
import type { CardMessage } from './card.js';

export interface TerminalCardOptions {
  /** Use ANSI colours. @defaultValue false */
  color?: boolean;
  /** Wrap width in columns. @defaultValue 88 */
  width?: number;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m' };

// Discord shows `\*` as `*`: undo the escaping so the terminal shows what Discord would.
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\*_~`|>#\-[\]()<:@.])/g, '$1');
}

// Discord shows `<t:unix:R>` in each reader's terms; a terminal gets the UTC time.
function readableTimestamps(text: string): string {
  return text.replace(/<t:(\d{1,12}):[tTdDfFR]>/g, (_, unix: string) => `${new Date(Number(unix) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
}

function unfence(text: string): string {
  return text.replace(/^```\n?/, '').replace(/\n?```$/, '').replace(/`\u200b``/g, '```');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = '';
      }
      line = line ? `${line} ${word}` : word;
      while (line.length > width) {
        lines.push(line.slice(0, width));
        line = line.slice(width);
      }
    }
    lines.push(line);
  }
  return lines;
}

function rgb(color: number | undefined, text: string, enabled: boolean): string {
  if (!enabled || color === undefined) return text;
  return `\x1b[38;2;${(color >> 16) & 255};${(color >> 8) & 255};${color & 255}m${text}${ANSI.reset}`;
}

/** Renders a card's Discord body as a readable block of terminal text (the demo's output). */
export function formatCardForTerminal(card: CardMessage, channelKey: string, options: TerminalCardOptions = {}): string {
  const { color = false, width = 88 } = options;
  const embed = (card.embeds?.[0] ?? {}) as APIEmbed;
  // A role mention (`<@&id>`) reads as `@role:id`: the terminal has no roles to resolve it to.
  const safe = (text: string | undefined, max = 4000) => safeForTerminal(readableTimestamps(unescapeMarkdown(text ?? '')).replace(/<@&(\d+)>/g, '@role:$1'), max);
  const bar = rgb(embed.color, '│', color);
  const bold = (text: string) => (color ? `${ANSI.bold}${text}${ANSI.reset}` : text);
  const dim = (text: string) => (color ? `${ANSI.dim}${text}${ANSI.reset}` : text);
  const out: string[] = [];
  out.push(rgb(embed.color, `┌─ #${channelKey} · `, color) + bold(safe(embed.title, 256)));
  const line = (text: string) => out.push(`${bar} ${text}`);
  // A notice's words (an escalation, a reminder under a card) come before the card, if any.
  if (typeof card.content === 'string' && card.content) for (const text of wrap(safe(card.content, 2000), width - 2)) line(bold(text));
  line(dim(safe(embed.author?.name, 256)));
  if (embed.author?.url) line(dim(safe(embed.author.url, 300)));
  for (const text of wrap(safe(embed.description), width - 2)) line(text);
  line('');
  for (const f of embed.fields ?? []) {
    const value = safe(f.name.startsWith('Suggested reply') ? unfence(f.value) : f.value, 1024);
    if (value.includes('\n') || value.length > width - f.name.length - 4) {
      line(bold(`${f.name}:`));
      for (const text of wrap(value, width - 4)) line(`  ${text}`);
    } else {
      line(`${bold(`${f.name}:`)} ${value}`);
    }
  }
  const buttons = (card.components ?? []).flatMap((row) =>
    'components' in row ? (row.components as Array<{ label?: string; disabled?: boolean }>).filter((c) => c.label) : [],
  );
  if (buttons.length) line(buttons.map((b) => (b.disabled ? dim(`[${b.label}]`) : `[${b.label}]`)).join(' '));
  out.push(rgb(embed.color, '└─ ', color) + dim(safe(embed.footer?.text, 300)));
  return out.join('\n');
}
