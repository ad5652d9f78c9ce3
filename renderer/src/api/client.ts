/**
 * The renderer's only door to the host. In Electron the preload has put `window.pos` there; in a browser we
 * build the same bridge over the WebSocket whose token came in the URL fragment.
 */
import type {
  ApiFailure,
  CommandInput,
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  PosBridge,
} from '../../../electron/contract/index';
import { createWsBridge } from './ws-bridge';

declare global {
  interface Window {
    pos?: PosBridge;
  }
}

/** A refusal from the host, with the stable code the screens turn into words. */
export class PosFailure extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(failure: ApiFailure) {
    super(failure.message);
    this.code = failure.code;
    this.details = failure.details ?? {};
  }
}

type ConnectionListener = (state: 'connecting' | 'open' | 'closed') => void;
const connectionListeners = new Set<ConnectionListener>();

export function onConnection(listener: ConnectionListener): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

function tokenFromLocation(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash !== null) {
    sessionStorage.setItem('pos.token', fromHash);
    // The token leaves the address bar (and so the history, a bookmark or a screenshot) once it is kept.
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem('pos.token') ?? '';
}

let bridge: PosBridge | null = null;

function pos(): PosBridge {
  if (bridge !== null) return bridge;
  if (window.pos !== undefined) {
    bridge = window.pos;
  } else {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    bridge = createWsBridge({
      url: `${scheme}://${window.location.host}/api?token=${encodeURIComponent(tokenFromLocation())}`,
      onConnection: (state) => {
        for (const listener of connectionListeners) listener(state);
      },
    });
  }
  return bridge;
}

/** Refusals that mean the host ended this login: the screen goes back to the login with the reason. */
const SESSION_ENDED = new Set(['STAFF_DEACTIVATED', 'SESSION_EXPIRED']);
const sessionEndedListeners = new Set<(failure: PosFailure) => void>();

/** Called when any command is refused because the host ended the login; returns the unsubscribe. */
export function onSessionEnded(listener: (failure: PosFailure) => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export async function call<N extends CommandName>(
  name: N,
  input: CommandInput<N>,
): Promise<CommandOutput<N>> {
  const command = pos()[name] as (
    input: CommandInput<N>,
  ) => Promise<{ ok: true; value: CommandOutput<N> } | { ok: false; error: ApiFailure }>;
  const reply = await command(input);
  if (!reply.ok) {
    const failure = new PosFailure(reply.error);
    // A refused login is the login screen's own business; anything else ends the session on screen.
    if (SESSION_ENDED.has(failure.code) && name !== 'session.login') {
      for (const listener of sessionEndedListeners) listener(failure);
    }
    throw failure;
  }
  return reply.value;
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return pos().on(event, listener);
}

export function asFailure(error: unknown): PosFailure {
  return error instanceof PosFailure
    ? error
    : new PosFailure({
        code: 'CLIENT_ERROR',
        message: error instanceof Error ? error.message : String(error),
      });
}
