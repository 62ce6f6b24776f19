/**
 * The optional queue dashboard: bull-board's UI and API over the service's queues, on a
 * server of its own (not the metrics port, which a scraper may reach).
 *
 * bull-board has no authentication: whoever reaches the port sees every job's payload
 * (mention texts and authors included) and, unless the board is read-only, can retry,
 * promote, delete jobs and empty or pause queues. So it listens on loopback and is
 * read-only unless told otherwise; to open it to a team, put it behind a reverse proxy
 * that does your authentication, and bind it where only that proxy reaches it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';

export interface DashboardOptions {
  /** The queues to show, in this order. */
  queues: readonly Queue[];
  /** Port to listen on; 0 takes a free one (tests). */
  port: number;
  /**
   * Address to listen on. Anything but loopback exposes the board to whoever reaches it.
   * @defaultValue `127.0.0.1`
   */
  host?: string;
  /** Path the board is served under, e.g. `/queues` behind a proxy that forwards that path. @defaultValue `/` */
  basePath?: string;
  log: Logger;
  /**
   * Refuse every change (retry, promote, clean, empty, pause, add): the API answers 405.
   * @defaultValue true, as there is no authentication in front of it
   */
  readOnly?: boolean;
}

/** A listening dashboard. */
export interface Dashboard {
  /** The board's address, base path included, e.g. `http://127.0.0.1:3000/queues`. */
  url: string;
  port: number;
  /** Stops listening and drops open connections (the UI polls on keep-alive connections). */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** `queues`, `/queues/` → `/queues`; `` → `/`. */
export function normalBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Starts the dashboard; rejects naming the address when it cannot listen (port taken).
 * bull-board and express are loaded here, on first use, so that a service without the
 * dashboard never loads them.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { queues, port, host = '127.0.0.1', log, readOnly = true } = options;
  const basePath = normalBasePath(options.basePath ?? '/');
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }, { default: express }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
    import('express'),
  ]);

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'mention-triage queues', hideDocsLink: true } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(basePath, serverAdapter.getRouter());

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    const refused = (error: Error) => reject(new Error(`queue dashboard: cannot listen on ${host}:${port} (${error.message}): free the port or set DASHBOARD_PORT to another`));
    server.once('error', refused);
    server.listen(port, host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  server.on('error', (error: Error) => log.error({ err: error.message }, 'queue dashboard server error'));
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${bound}${basePath === '/' ? '' : basePath}`;
  log.info({ url, readOnly, queues: queues.length }, 'queue dashboard listening');
  if (!LOOPBACK.test(host)) {
    log.warn({ host, readOnly }, 'the queue dashboard has no authentication and listens beyond this host: put it behind a proxy that authenticates');
  }
  return {
    url,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
