/**
 * The gateway half of the peer: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME,
 * and dispatches with sequence numbers. Frames are plain JSON (no zlib-sync installed).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import {
  GatewayDispatchEvents,
  type ApplicationFlags,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayIdentifyData,
  type GatewayReadyDispatchData,
  type GatewaySendPayload,
} from 'discord-api-types/v10';
import { WebSocketServer, type WebSocket } from 'ws';
import { toGuildCreate } from './fixtures.js';
import type { PeerState } from './state.js';
import { peerThreads } from './threads.js';

/** A session the client identified; it outlives a dropped socket so the client can RESUME. */
interface Session {
  id: string;
  intents: number;
  seq: number;
  socket?: WebSocket;
  /** Every dispatch sent, for replay on RESUME. */
  sent: Array<{ s: number; frame: string }>;
}

/** The gateway as the rest of the peer sees it. */
export interface Gateway {
  /** Every payload clients sent (IDENTIFY, heartbeats, RESUME…), in order. */
  readonly received: GatewaySendPayload[];
  /** Sessions with a live socket. */
  liveSessionCount(): number;
  /** Sends a dispatch to every live session whose intents include `requiredIntent` (if given); `data` may be a function of the session's intents. */
  dispatch(event: string, data: unknown, requiredIntent?: number): number;
  /** Closes every client socket with `code` (4000 lets discord.js resume), keeping the sessions. */
  dropConnections(code?: number): void;
  close(): Promise<void>;
}

/** Options for the gateway. */
export interface GatewayOptions {
  /** @defaultValue 41250 (Discord's usual value) */
  heartbeatIntervalMs: number;
  /** The URL the client is told to RESUME at. */
  resumeUrl: () => string;
}

/** Attaches a gateway to `server`'s upgrade requests. */
export function createGateway(server: Server, state: PeerState, options: GatewayOptions): Gateway {
  const wss = new WebSocketServer({ server });
  const sessions = new Map<string, Session>();
  const received: GatewaySendPayload[] = [];

  const sendTo = (session: Session, event: string, data: unknown): void => {
    session.seq += 1;
    const frame = JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data });
    session.sent.push({ s: session.seq, frame });
    session.socket?.send(frame);
  };

  const identify = (socket: WebSocket, data: GatewayIdentifyData): void => {
    const session: Session = { id: randomBytes(16).toString('hex'), intents: Number(data.intents), seq: 0, socket, sent: [] };
    sessions.set(session.id, session);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: state.botUser,
      guilds: [{ id: state.guildId, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: options.resumeUrl(),
      shard: data.shard ?? [0, 1],
      application: { id: state.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    sendTo(session, GatewayDispatchEvents.Ready, ready);
    // Without the Guilds intent Discord sends no GUILD_CREATE, and discord.js does not wait for one.
    if ((session.intents & GatewayIntentBits.Guilds) !== 0) {
      sendTo(session, GatewayDispatchEvents.GuildCreate, toGuildCreate({
        guildId: state.guildId,
        name: state.guildName,
        ownerId: state.botUser.id,
        channels: [...state.channels.values()],
        roles: state.roles,
        members: [...state.members.values()],
        threads: [...peerThreads(state).values()].filter((t) => !t.thread_metadata?.archived),
      }));
    }
  };

  const resume = (socket: WebSocket, sessionId: string, seq: number): void => {
    const session = sessions.get(sessionId);
    if (!session) {
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
      return;
    }
    session.socket = socket;
    for (const missed of session.sent) if (missed.s > seq) socket.send(missed.frame);
    sendTo(session, GatewayDispatchEvents.Resumed, null);
  };

  wss.on('connection', (socket) => {
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: options.heartbeatIntervalMs } }));
    socket.on('message', (raw) => {
      let payload: GatewaySendPayload;
      try {
        payload = JSON.parse(raw.toString()) as GatewaySendPayload;
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      received.push(payload);
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
          break;
        case GatewayOpcodes.Identify:
          identify(socket, payload.d);
          break;
        case GatewayOpcodes.Resume:
          resume(socket, payload.d.session_id, payload.d.seq);
          break;
        case GatewayOpcodes.RequestGuildMembers:
          for (const session of sessions.values()) {
            if (session.socket !== socket) continue;
            sendTo(session, GatewayDispatchEvents.GuildMembersChunk, {
              guild_id: state.guildId,
              members: [...state.members.values()],
              chunk_index: 0,
              chunk_count: 1,
              nonce: payload.d.nonce,
            });
          }
          break;
        default:
          break;
      }
    });
    socket.on('close', () => {
      for (const session of sessions.values()) if (session.socket === socket) session.socket = undefined;
    });
  });

  return {
    received,
    liveSessionCount: () => [...sessions.values()].filter((session) => session.socket).length,
    dispatch(event, data, requiredIntent) {
      let delivered = 0;
      for (const session of sessions.values()) {
        if (!session.socket) continue;
        if (requiredIntent !== undefined && (session.intents & requiredIntent) === 0) continue;
        // A dispatch may differ by session (a message's text needs the Message Content intent).
        sendTo(session, event, typeof data === 'function' ? (data as (intents: number) => unknown)(session.intents) : data);
        delivered += 1;
      }
      return delivered;
    },
    dropConnections(code = 4000) {
      for (const client of wss.clients) client.close(code, 'peer dropped the connection');
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
