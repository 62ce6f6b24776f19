import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { CONFIG_FILES, type Config } from '../config/schema.js';

const run = promisify(execFile);

/** The config to compare against cannot be found (no such directory, an unknown git revision): fix the argument. */
export class AgainstError extends Error {
  override readonly name = 'AgainstError';
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/**
 * The config `--against` names: a directory, or a git revision whose copy of the config
 * directory (the one `current` was read from, at the same place in the repository) is
 * read with `git show REV:path` into a temporary directory and loaded from there.
 */
export async function loadAgainst(spec: string, current: Config): Promise<Config> {
  if (await stat(spec).then((s) => s.isDirectory(), () => false)) return loadConfig(spec);
  let top: string;
  try {
    top = (await git(current.dir, ['rev-parse', '--show-toplevel'])).trim();
    await git(top, ['rev-parse', '--verify', '--quiet', `${spec}^{commit}`]);
  } catch {
    throw new AgainstError(`--against ${spec}: neither a directory nor a git revision of the repository holding ${current.dir}`);
  }
  const inRepo = path.relative(top, current.dir).split(path.sep).join('/');
  const root = await mkdtemp(path.join(tmpdir(), 'mention-triage-against-'));
  try {
    const dir = path.join(root, path.basename(current.dir));
    await mkdir(dir);
    for (const { file } of Object.values(CONFIG_FILES)) {
      // A file the revision does not have stays missing: loadConfig says so (or takes an optional file's defaults).
      const text = await git(top, ['show', `${spec}:${inRepo ? `${inRepo}/` : ''}${file}`]).catch(() => undefined);
      if (text !== undefined) await writeFile(path.join(dir, file), text);
    }
    return await loadConfig(dir).catch((error: unknown) => {
      // Name each problem's file as git does (`HEAD:config/routing.yaml`), not by the temporary copy.
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError(error.problems.map((p) => ({ ...p, file: `${spec}:${inRepo ? `${inRepo}/` : ''}${path.basename(p.file)}` })));
    });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
