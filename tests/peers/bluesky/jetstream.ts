/**
 * The Jetstream half of the peer: a WebSocket at `/subscribe` that replays events from
 * `cursor` (unix microseconds, inclusive) and then streams new ones, filtered by
 * `wantedCollections`, as the public Jetstream v1 does. A test can drop every connection,
 * or stall them: half-open, they stay up but send nothing and read nothing (not even a close).
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A Jetstream commit event as the service sends it. */
export interface JetstreamCommitEvent {
  did: string;
  time_us: number;
  kind: 'commit';
  commit: {
    rev: string;
    operation: 'create' | 'update' | 'delete';
    collection: string;
    rkey: string;
    record?: Record<string, unknown>;
    cid?: string;
  };
}

/** Identity and account events carry no record; listeners skip them. */
export interface JetstreamOtherEvent {
  did: string;
  time_us: number;
  kind: 'identity' | 'account';
  identity?: { did: string; handle: string; seq: number; time: string };
  account?: { active: boolean; did: string; seq: number; time: string };
}

export type JetstreamEvent = JetstreamCommitEvent | JetstreamOtherEvent;

/** A connection as the peer saw it open. */
export interface JetstreamConnection {
  /** The `cursor` query parameter, when sent. */
  cursor?: string;
  wantedCollections: string[];
}

export interface PeerJetstream {
  readonly events: JetstreamEvent[];
  readonly connections: JetstreamConnection[];
  /** Connections open now. */
  openCount(): number;
  /** Appends an event and sends it to every open connection that wants it. */
  emit(event: JetstreamEvent): void;
  /** Closes every open connection abruptly (as a restart of the service would). */
  drop(): void;
  /**
   * Leaves every open connection half-open, as a dead NAT or load balancer does: nothing
   * more is sent on it, nothing it sends is read (a close frame goes unanswered), and it
   * is never closed. Later connections work normally.
   */
  stall(): void;
  close(): Promise<void>;
}

function wanted(event: JetstreamEvent, collections: string[]): boolean {
  return event.kind !== 'commit' || collections.length === 0 || collections.includes(event.commit.collection);
}

/** Attaches the Jetstream endpoint to `server`. */
export function createJetstream(server: Server): PeerJetstream {
  const wss = new WebSocketServer({ server, path: '/subscribe' });
  const events: JetstreamEvent[] = [];
  const connections: JetstreamConnection[] = [];
  const live = new Map<WebSocket, string[]>();
  const sockets = new Map<WebSocket, Socket>();
  const stalled = new Set<WebSocket>();

  wss.on('connection', (ws, req) => {
    sockets.set(ws, req.socket);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const collections = url.searchParams.getAll('wantedCollections');
    const cursor = url.searchParams.get('cursor') ?? undefined;
    connections.push({ ...(cursor !== undefined ? { cursor } : {}), wantedCollections: collections });
    if (cursor !== undefined) {
      const from = Number(cursor);
      for (const event of events) if (event.time_us >= from && wanted(event, collections)) ws.send(JSON.stringify(event));
    }
    live.set(ws, collections);
    ws.on('close', () => {
      live.delete(ws);
      sockets.delete(ws);
    });
    ws.on('error', () => live.delete(ws));
  });

  return {
    events,
    connections,
    openCount: () => live.size,
    emit(event) {
      events.push(event);
      for (const [ws, collections] of live) if (ws.readyState === ws.OPEN && wanted(event, collections)) ws.send(JSON.stringify(event));
    },
    drop() {
      for (const ws of live.keys()) ws.terminate();
      live.clear();
    },
    stall() {
      for (const ws of live.keys()) {
        sockets.get(ws)?.pause();
        stalled.add(ws);
      }
      live.clear();
    },
    close() {
      for (const ws of [...live.keys(), ...stalled]) ws.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
