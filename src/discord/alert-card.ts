import type { AlertJob } from '../pipeline/queues.js';
import { safeForDiscord } from '../core/display-text.js';
import type { CardMessage } from './card.js';

const LOOK = {
  warning: { emoji: '⚠️', color: 0xe8912d },
  error: { emoji: '🛑', color: 0xd83c3e },
} as const;

/** A notice for the leads about the service itself: a source that stopped, a budget reached. */
export function renderAlert(alert: AlertJob): CardMessage {
  const look = LOOK[alert.level];
  return {
    embeds: [
      {
        title: safeForDiscord(`${look.emoji} ${alert.title}`, 256),
        description: safeForDiscord(alert.text, 4000),
        color: look.color,
        footer: { text: safeForDiscord(`mention-triage${alert.source ? ` · source ${alert.source}` : ''}`, 2048) },
        timestamp: alert.raisedAt,
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
