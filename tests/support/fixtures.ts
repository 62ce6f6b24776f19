import type { FileSourceConfig } from '../../src/config/source-schemas.js';
import type { Mention } from '../../src/core/mention.js';
import type { TriageResult } from '../../src/core/triage-result.js';

/** A mention with sensible defaults; override what the test is about. */
export function aMention(overrides: Partial<Mention> = {}): Mention {
  return {
    source: 'x',
    id: '1860000000000000001',
    text: '@parcelly my label printed blank again and I have 40 parcels to ship today!!',
    url: 'https://x.com/dana/status/1860000000000000001',
    createdAt: '2026-11-20T10:00:00.000Z',
    author: { handle: 'dana', name: 'Dana Reyes', followers: 1200 },
    ...overrides,
  };
}

/** A triage result for a mention, without running the classifier. */
export function aTriage(mention: Mention = aMention(), overrides: Partial<TriageResult> = {}): TriageResult {
  return {
    mention,
    classification: { polarity: 'negative', score: -0.6, flags: ['angry'], intent: 'bug', severity: 2, evidence: ['blank', '!!'] },
    reach: mention.author.followers,
    route: { channel: 'support', rule: 'default', priority: 1, alsoTo: [], claimWithinMinutes: 30 },
    reply: { text: 'Thanks for telling us, Dana, and sorry about the blank labels.', template: 'bug.angry#0' },
    ...overrides,
  };
}

/** An enabled file source entry as the config loader returns it. */
export function aFileSourceConfig(path: string, overrides: Partial<FileSourceConfig & { name: string }> = {}): FileSourceConfig & { name: string } {
  return { type: 'file', path, enabled: true, pollSeconds: 30, lookbackHours: 24, name: `file:${path}`, ...overrides };
}
