#!/usr/bin/env node
/**
 * The `mention-triage` command. The built CLI keeps V8's compiled code of the modules it
 * loads in Node's compile cache (`NODE_COMPILE_CACHE`, else `node-compile-cache` in the
 * system's temporary directory; `NODE_DISABLE_COMPILE_CACHE=1` turns it off), so a start
 * after the first compiles little. The commands live in `program.ts`, loaded only after
 * the cache is on: static imports would be compiled before it.
 */
import module from 'node:module';

// Only the built files (dist/cli.js): a TypeScript loader running src/cli.ts compiles on its own.
if (import.meta.url.endsWith('.js')) {
  try {
    // No directory: NODE_COMPILE_CACHE, else the default under os.tmpdir(). A cache that
    // cannot be written (read-only file system) is skipped; it never stops the command.
    module.enableCompileCache?.();
  } catch {
    // Node without a compile cache, or one that refuses it: run without.
  }
}

await import('./program.js');
