import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

/** A copy of the shipped config with the commented `marketingDigest` block replaced by `block`. */
function configWith(block: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'mt-mdigest-')), 'config');
  cpSync('config', dir, { recursive: true });
  const file = join(dir, 'discord.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}${block}`);
  return dir;
}

describe('discord.yaml marketingDigest', () => {
  it('is off unless set, and takes its defaults when set', async () => {
    expect((await loadConfig('config')).discord.marketingDigest).toBeUndefined();
    const config = await loadConfig(configWith('  marketingDigest:\n    at: "08:15"\n'));
    expect(config.discord.marketingDigest).toEqual({ channel: 'marketing', at: '08:15', timeZone: 'UTC', top: 5 });
  });

  it('refuses an unknown channel, a bad time and an unknown zone with file, line and field', async () => {
    const dir = configWith('  marketingDigest:\n    channel: promo\n    at: "9am"\n    timeZone: Mars/Olympus\n');
    const error = await loadConfig(dir).then(() => undefined, (e: Error) => e.message);
    expect(error).toMatch(/discord\.yaml:\d+: discord\.marketingDigest\.channel: unknown channel "promo" \(known: support, leads, marketing\)/);
    expect(error).toMatch(/discord\.yaml:\d+: discord\.marketingDigest\.at: a time of day is HH:MM/);
    expect(error).toMatch(/discord\.yaml:\d+: discord\.marketingDigest\.timeZone: an IANA time zone/);
  });
});
