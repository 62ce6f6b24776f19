import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { SourceConfig } from '../../src/config/schema.js';
import { sourceChanges } from '../../src/config/source-changes.js';

const shippedConfig = fileURLToPath(new URL('../../config', import.meta.url));

const file = (name: string, extra: Partial<Extract<SourceConfig, { type: 'file' }>> = {}): SourceConfig =>
  ({ type: 'file', name, path: `/data/${name}.jsonl`, pollSeconds: 60, enabled: true, ...extra }) as SourceConfig;

describe('what a reloaded sources.yaml changes', () => {
  it('stops the removed, disabled and changed sources, starts the new and changed ones, and leaves the rest', async () => {
    const { brand } = await loadConfig(shippedConfig);
    const running = { brand, sources: [file('a'), file('b'), file('c'), file('d'), file('off', { enabled: false })] };
    const next = { brand, sources: [file('a'), file('b', { pollSeconds: 5 }), file('d', { enabled: false }), file('e'), file('off', { enabled: false })] };
    const changes = sourceChanges(running, next);
    expect(changes.stop).toEqual(['b', 'c', 'd']);
    expect(changes.start.map((s) => s.name)).toEqual(['b', 'e']);
    expect(changes.start[0]).toMatchObject({ pollSeconds: 5 });
    expect(sourceChanges(running, running)).toEqual({ stop: [], start: [] });
  });

  it('starts every source again when the brand changes: their queries come from it', async () => {
    const { brand } = await loadConfig(shippedConfig);
    const sources = [file('a'), file('b', { enabled: false })];
    const changes = sourceChanges({ brand, sources }, { brand: { ...brand, names: [...brand.names, 'Parcelly Pro'] }, sources });
    expect(changes).toEqual({ stop: ['a'], start: [sources[0]] });
  });
});
