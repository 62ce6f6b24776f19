import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const shippedConfig = fileURLToPath(new URL('../../config', import.meta.url));

describe('the shipped config/', () => {
  it('loads in place, with the recorded sample it names', async () => {
    const config = await loadConfig(shippedConfig);
    const file = config.sources.find((s) => s.type === 'file');
    expect(file && path.relative(config.rootDir, file.path)).toEqual(path.join('samples', 'mentions.jsonl'));
  });

  let root: string;
  beforeAll(async () => {
    // The shipped sources.yaml names samples/mentions.jsonl; give it one beside a copy so
    // this test checks the YAML, not whether the sample has been recorded yet.
    root = await mkdtemp(path.join(tmpdir(), 'mt-config-'));
    await cp(shippedConfig, path.join(root, 'config'), { recursive: true });
    await mkdir(path.join(root, 'samples'));
    await writeFile(path.join(root, 'samples', 'mentions.jsonl'), '');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('loads without problems', async () => {
    const config = await loadConfig(path.join(root, 'config'));
    expect(config.brand).toEqual({ name: 'Parcelly', names: ['Parcelly'], handles: ['parcelly', 'parcelly.app', 'parcelly@mastodon.social'] });
    expect(Object.keys(config.discord.channels)).toEqual(['support', 'leads', 'marketing']);
    expect(config.routing.defaultChannel).toBe('support');
    expect(config.sla.claimWithinMinutes).toEqual({ 0: 240, 1: 60, 2: 30, 3: 15 });
  });

  it('treats empty channel ids as not configured', async () => {
    const config = await loadConfig(path.join(root, 'config'));
    expect(config.discord.channels.support).toBeNull();
  });

  it('resolves source paths against the parent of the config directory', async () => {
    const config = await loadConfig(path.join(root, 'config'));
    expect(config.sources.find((s) => s.type === 'file')).toMatchObject({ type: 'file', path: path.join(root, 'samples', 'mentions.jsonl'), enabled: false });
  });

  it('ships a source for every network, each with a unique name and the defaults filled in', async () => {
    const config = await loadConfig(path.join(root, 'config'));
    expect(config.sources.map((s) => [s.type, s.name, s.enabled])).toEqual([
      ['x', 'x', true],
      ['bluesky', 'bluesky', true],
      ['mastodon', 'mastodon', true],
      ['hackernews', 'hackernews', true],
      ['reddit', 'reddit', true],
      ['file', expect.stringMatching(/^file:/), false],
    ]);
    expect(config.sourceAlerts).toEqual({ channel: 'leads', failuresInARow: 3, silenceHours: 6 });
    expect(config.sources[0]).toMatchObject({ apiUrl: 'https://api.x.com', monthlyBudgetUsd: 20, pollSeconds: 120, lookbackHours: 24, credentials: { bearerToken: 'X_BEARER_TOKEN' } });
  });

  it('reads retention in days, and takes the defaults when retention.yaml is left out', async () => {
    expect((await loadConfig(path.join(root, 'config'))).retention).toEqual({ seenDays: 30, closedDays: 90 });
    const bare = await mkdtemp(path.join(tmpdir(), 'mt-config-'));
    await cp(path.join(root, 'config'), path.join(bare, 'config'), { recursive: true });
    await rm(path.join(bare, 'config', 'retention.yaml'));
    await mkdir(path.join(bare, 'samples'));
    await writeFile(path.join(bare, 'samples', 'mentions.jsonl'), '');
    expect((await loadConfig(path.join(bare, 'config'))).retention).toEqual({ seenDays: 30, closedDays: 90 });
    await rm(bare, { recursive: true, force: true });
  });

  it('ends the templates with a catch-all', async () => {
    const config = await loadConfig(path.join(root, 'config'));
    expect(config.templates.templates.at(-1)?.when).toEqual({});
  });
});

describe('a broken config', () => {
  const cwd = process.cwd();
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mt-config-'));
    await cp(shippedConfig, path.join(root, 'config'), { recursive: true });
    await mkdir(path.join(root, 'samples'));
    await writeFile(path.join(root, 'samples', 'mentions.jsonl'), '');
    // Messages show files relative to the working directory when inside it.
    process.chdir(root);
  });
  afterEach(async () => {
    process.chdir(cwd);
    await rm(root, { recursive: true, force: true });
  });

  /** Replace `from` with `to` on the first line containing `from` after the line containing `after`; the 1-based line. */
  async function editLine(file: string, from: string, to: string, after = ''): Promise<number> {
    const full = path.join(root, 'config', file);
    const lines = (await readFile(full, 'utf8')).split('\n');
    const start = lines.findIndex((l) => l.includes(after));
    const index = lines.findIndex((l, i) => i >= start && l.includes(from));
    if (start === -1 || index === -1) throw new Error(`${file}: no line with "${from}" after "${after}"`);
    lines[index] = lines[index]!.replace(from, to);
    await writeFile(full, lines.join('\n'));
    return index + 1;
  }

  async function problems(): Promise<string[]> {
    const error = await loadConfig('config').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }

  it('reports bad YAML with its line', async () => {
    const line = await editLine('sla.yaml', '3: 15', '3: 15: 20');
    expect(await problems()).toEqual([
      `config/sla.yaml:${line}: invalid YAML: Nested mappings are not allowed in compact mappings`,
    ]);
  });

  it('reports an unknown key and lists the known ones', async () => {
    const line = await editLine('routing.yaml', 'priority: 4', 'priorty: 4', 'name: low-signal');
    expect(await problems()).toEqual([
      `config/routing.yaml:${line}: rules[7].priorty: unknown key "priorty" (known: name, when, channel, priority, alsoTo, pingRole, tags, sla, suppress, continue)`,
    ]);
  });

  it('reports a value of the wrong type', async () => {
    const line = await editLine('sla.yaml', '3: 15', '3: soon');
    expect(await problems()).toEqual([`config/sla.yaml:${line}: claimWithinMinutes.3: expected number, got string "soon"`]);
  });

  it('reports a routing rule naming an unknown channel', async () => {
    const line = await editLine('routing.yaml', 'channel: support', 'channel: suport', 'name: billing');
    expect(await problems()).toEqual([
      `config/routing.yaml:${line}: rules[5].channel: unknown channel "suport" (known: support, leads, marketing)`,
    ]);
  });

  it('reports an unknown alsoTo channel and default channel', async () => {
    const also = await editLine('routing.yaml', 'alsoTo: [marketing]', 'alsoTo: [marketting]');
    const def = await editLine('routing.yaml', 'defaultChannel: support', 'defaultChannel: help');
    expect(await problems()).toEqual([
      `config/routing.yaml:${def}: defaultChannel: unknown channel "help" (known: support, leads, marketing)`,
      `config/routing.yaml:${also}: rules[6].alsoTo[0]: unknown channel "marketting" (known: support, leads, marketing)`,
    ]);
  });

  it('reports a duplicate rule name at the second one', async () => {
    const line = await editLine('routing.yaml', 'name: happy', 'name: billing');
    expect(await problems()).toEqual([
      `config/routing.yaml:${line}: rules[6].name: duplicate rule name "billing" (first at rules[5])`,
    ]);
  });

  it('reports a missing file by name', async () => {
    await unlink(path.join(root, 'config', 'sla.yaml'));
    expect(await problems()).toEqual(['config/sla.yaml: file not found']);
  });

  it('reports an unknown placeholder in a template', async () => {
    const line = await editLine('templates.yaml', '{brand}', '{brnd}', 'id: outage.angry');
    expect(await problems()).toEqual([
      `config/templates.yaml:${line}: templates[2].variants[0]: unknown placeholder "{brnd}" (known: {name}, {handle}, {brand}, {topic}, {dm}, {detail}, {ask}, {incident})`,
    ]);
  });

  it('reports a duplicate template id', async () => {
    const line = await editLine('templates.yaml', 'id: billing.unhappy', 'id: billing.angry');
    expect(await problems()).toEqual([
      `config/templates.yaml:${line}: templates[5].id: duplicate template id "billing.angry" (first at templates[4])`,
    ]);
  });

  it('refuses an unknown source type and lists the known ones', async () => {
    const line = await editLine('sources.yaml', '- type: x', '- type: myspace');
    expect(await problems()).toEqual([`config/sources.yaml:${line}: sources[0].type: unknown type "myspace" (known: file, x, bluesky, mastodon, hackernews, reddit, rss)`]);
  });

  it('reports an enabled source file that does not exist', async () => {
    const line = await editLine('sources.yaml', 'samples/mentions.jsonl', 'samples/missing.jsonl');
    await editLine('sources.yaml', 'enabled: false', 'enabled: true', 'samples/missing.jsonl');
    expect(await problems()).toEqual([`config/sources.yaml:${line}: sources[5].path: file "samples/missing.jsonl" not found`]);
  });

  it('accepts a disabled source file that does not exist yet', async () => {
    await editLine('sources.yaml', 'samples/mentions.jsonl', 'samples/missing.jsonl');
    await expect(loadConfig('config')).resolves.toBeDefined();
  });

  it('refuses a secret written where the name of its environment variable belongs', async () => {
    const line = await editLine('sources.yaml', '# credentials: { bearerToken: X_BEARER_TOKEN }', 'credentials: { bearerToken: AAAAabc123-secret }');
    expect(await problems()).toEqual([`config/sources.yaml:${line}: sources[0].credentials.bearerToken: the NAME of an environment variable (upper case, digits, _), not the secret itself`]);
  });

  it('reports an alert channel that discord.yaml does not define', async () => {
    const line = await editLine('sources.yaml', 'channel: leads', 'channel: ops');
    expect(await problems()).toEqual([`config/sources.yaml:${line}: alerts.channel: unknown channel "ops" (known: support, leads, marketing)`]);
  });

  it('reports a retention that is not a number of days', async () => {
    const line = await editLine('retention.yaml', 'closedDays: 90', 'closedDays: -1');
    expect(await problems()).toEqual([`config/retention.yaml:${line}: retention.closedDays: must be a number of days above 0`]);
  });

  it('reports two sources with the same name at the second', async () => {
    const line = await editLine('sources.yaml', '- type: hackernews', '- type: x');
    expect(await problems()).toEqual([`config/sources.yaml:${line}: sources[3].type: duplicate source name "x" (first at sources[0])`]);
  });

  it('asks for quotes around an unquoted Discord id', async () => {
    const line = await editLine('discord.yaml', 'support: ""', 'support: 123456789012345678');
    const [problem] = await problems();
    expect(problem).toMatch(new RegExp(`^config/discord\\.yaml:${line}: discord\\.channels\\.support: a Discord id must be a quoted string`));
  });

  it('reports a missing required field at its parent', async () => {
    const line = await editLine('routing.yaml', 'channel: leads', '', 'name: legal-or-chargeback');
    const parent = await editLine('routing.yaml', 'name: legal-or-chargeback', 'name: legal-or-chargeback');
    expect(line).toBeGreaterThan(parent);
    expect(await problems()).toEqual([`config/routing.yaml:${parent}: rules[3].channel: missing: a rule that neither continues nor suppresses names its channel`]);
  });

  it('reports a missing config directory once, not once per file', async () => {
    const error = await loadConfig('nowhere').catch((e: unknown) => e);
    expect((error as ConfigError).message).toBe('nowhere: config directory not found');
  });

  it('collects the problems of every file before failing once', async () => {
    const sla = await editLine('sla.yaml', '3: 15', '3: soon');
    const routing = await editLine('routing.yaml', 'channel: support', 'channel: suport', 'name: billing');
    await unlink(path.join(root, 'config', 'brand.yaml'));
    const error = await loadConfig('config').catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual([
      { file: 'config/brand.yaml', line: 0, path: '', message: 'file not found' },
      { file: 'config/routing.yaml', line: routing, path: 'rules[5].channel', message: expect.stringContaining('unknown channel') },
      { file: 'config/sla.yaml', line: sla, path: 'claimWithinMinutes.3', message: expect.stringContaining('expected number') },
    ]);
  });
});
