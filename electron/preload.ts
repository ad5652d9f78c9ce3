/**
 * The renderer's `window.pos`: one function per command plus `on(event)`. Runs sandboxed with context
 * isolation; it can reach the host only through the per-command IPC channels, never a generic send.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel } from './contract/bridge';
import { COMMAND_NAMES, isEventName } from './contract/names';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const pos: Record<string, unknown> = {
  on(event: unknown, listener: unknown): () => void {
    if (!isEventName(event) || typeof listener !== 'function') throw new TypeError('pos.on(event, listener)');
    let set = listeners.get(event);
    if (set === undefined) {
      set = new Set();
      listeners.set(event, set);
    }
    const own = listener as Listener;
    set.add(own);
    return () => set.delete(own);
  },
};
for (const name of COMMAND_NAMES) {
  pos[name] = (input: unknown) => ipcRenderer.invoke(ipcChannel(name), input);
}

contextBridge.exposeInMainWorld('pos', pos);
