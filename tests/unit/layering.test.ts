import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module specifier a TypeScript file imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specifiers.map((match) => match[1] ?? '');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

describe('the layers', () => {
  it('reads imports, type-only and multi-line ones included', () => {
    const sample = "import type {\n  CardMessage,\n} from '../discord/card.js';\nexport { x } from './y.js';\nconst m = await import('discord.js');";
    expect(importsOf(sample)).toEqual(['../discord/card.js', './y.js', 'discord.js']);
  });

  for (const layer of ['src/pipeline', 'src/core']) {
    it(`${layer} imports nothing from src/discord nor discord.js: rendering belongs to the Discord adapter`, () => {
      const offending = filesUnder(layer).flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .filter((specifier) => /discord/i.test(specifier))
          .map((specifier) => `${file}: ${specifier}`),
      );
      expect(offending).toEqual([]);
    });
  }
});
