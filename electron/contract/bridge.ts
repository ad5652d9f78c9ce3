/**
 * The object the renderer sees as `window.pos`: one function per command plus `on(event)`. Calls never throw
 * across the boundary; they resolve to a reply, so an error's code and details survive structured cloning.
 */
import type { CommandInput, CommandOutput } from './commands';
import type { EventPayload } from './events';
import type { CommandName, EventName } from './names';
import type { ApiFailure } from './schemas';

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

export type PosBridge = {
  [N in CommandName]: (input: CommandInput<N>) => Promise<Reply<CommandOutput<N>>>;
} & {
  /** Subscribes to a host event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Messages on the browser-mode WebSocket. */
export type ClientMessage = { type: 'call'; id: number; command: string; input: unknown };
export type HostMessage =
  | { type: 'reply'; id: number; reply: Reply<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };

/** The Electron IPC channel a command travels on: one channel per command, never a generic send. */
export const ipcChannel = (command: CommandName): string => `pos:${command}`;
export const IPC_EVENT_CHANNEL = 'pos:event';
