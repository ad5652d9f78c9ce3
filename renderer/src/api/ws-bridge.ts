/**
 * `window.pos` for browser mode: the same bridge the Electron preload exposes, carried over the host's
 * WebSocket. Calls made while the socket is (re)connecting wait for it; if the connection drops, calls in
 * flight fail with HOST_UNREACHABLE (an operation keeps its id, so the cashier can safely send it again).
 */
import type { EventName, HostMessage, PosBridge, Reply } from '../../../electron/contract/index';
// Values come from the name list alone, so the validators stay out of the renderer's bundle.
import { COMMAND_NAMES, type CommandName } from '../../../electron/contract/names';

type Listener = (payload: unknown) => void;

const CALL_TIMEOUT_MS = 15_000;

export interface WsBridgeOptions {
  url: string;
  onConnection?: (state: 'connecting' | 'open' | 'closed') => void;
}

export function createWsBridge(options: WsBridgeOptions): PosBridge {
  const listeners = new Map<EventName, Set<Listener>>();
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let retryMs = 250;

  const connect = () => {
    options.onConnection?.('connecting');
    const ws = new WebSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      options.onConnection?.('open');
      for (const message of queue.splice(0)) ws.send(message);
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as HostMessage;
      if (message.type === 'reply') {
        pending.get(message.id)?.(message.reply);
        pending.delete(message.id);
      } else {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      }
    };
    ws.onclose = () => {
      options.onConnection?.('closed');
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'HOST_UNREACHABLE', message: 'connection to the host lost' } });
        pending.delete(id);
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  const call = (command: CommandName, input: unknown): Promise<Reply<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      // A host that never answers must not leave the till waiting forever; the operation keeps its id, so
      // confirming again after a timeout cannot charge twice.
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({
          ok: false,
          error: { code: 'HOST_UNREACHABLE', message: 'the host did not answer in time' },
        });
      }, CALL_TIMEOUT_MS);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      const message = JSON.stringify({ type: 'call', id, command, input });
      if (socket?.readyState === WebSocket.OPEN) socket.send(message);
      else queue.push(message);
    });

  const bridge: Record<string, unknown> = {
    on(event: EventName, listener: Listener) {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  for (const name of COMMAND_NAMES) bridge[name] = (input: unknown) => call(name, input);
  return bridge as PosBridge;
}
