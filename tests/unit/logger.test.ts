import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function memorySink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  return { stream, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('the logger', () => {
  it('never writes a token, an authorization header or a Redis URL with its password', () => {
    const sink = memorySink();
    const log = createLogger({ destination: sink.stream, level: 'debug' });
    log.info({ token: 'Bot.secret.1', headers: { authorization: 'Bot abc' }, env: { DISCORD_TOKEN: 'sekrit' }, redisUrl: 'redis://:pw@host' }, 'connecting');
    const text = JSON.stringify(sink.records());
    for (const secret of ['Bot.secret.1', 'Bot abc', 'sekrit', 'pw@host']) expect(text).not.toContain(secret);
    expect(sink.records()[0]).toMatchObject({ msg: 'connecting', token: '[redacted]', service: 'mention-triage' });
  });

  it('never writes a source credential or a stored login session', () => {
    const sink = memorySink();
    const log = createLogger({ destination: sink.stream, level: 'debug' });
    log.info({ session: { accessJwt: 'eyJ.access', refreshJwt: 'eyJ.refresh' }, credentials: { bearerToken: 'AAAA-bearer', appPassword: 'abcd-efgh' }, reddit: { oauth: { access_token: 'rtok' } } }, 'source state');
    const text = JSON.stringify(sink.records());
    for (const secret of ['eyJ.access', 'eyJ.refresh', 'AAAA-bearer', 'abcd-efgh', 'rtok']) expect(text).not.toContain(secret);
  });

  it('puts values in fields, as JSON lines', () => {
    const sink = memorySink();
    createLogger({ destination: sink.stream }).child({ component: 'triage' }).warn({ key: 'x-1' }, 'job failed');
    expect(sink.records()[0]).toMatchObject({ level: 40, component: 'triage', key: 'x-1', msg: 'job failed' });
  });
});
