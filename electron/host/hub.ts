/**
 * The one seam devices join through. Readers, swipers, printers, the sync worker and the simulator all emit
 * contract events here; the transports forward them to the screens. The hub also remembers each device's last
 * status so a screen that connects late can draw the status bar at once.
 */
import type { EventName, EventPayload } from '../contract';

type AnyListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type DeviceStatus = EventPayload<'device.status'>;

export class DeviceHub {
  private readonly listeners = new Set<AnyListener>();
  private readonly devices = new Map<string, DeviceStatus>();
  private lastSync: EventPayload<'sync.status'> = { state: 'disabled', pending: 0, lastSyncedAt: null };

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    if (event === 'device.status') {
      const status = payload as DeviceStatus;
      this.devices.set(status.device, status);
    } else if (event === 'sync.status') {
      this.lastSync = payload as EventPayload<'sync.status'>;
    }
    for (const listener of this.listeners) {
      // A failing listener (a closed socket) must not keep the event from the others.
      try {
        listener(event, payload);
      } catch {}
    }
  }

  /** Every event, in emission order. Returns the unsubscribe function. */
  subscribe(listener: AnyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the next event of one kind that matches; used by the device seams and by tests. */
  next<E extends EventName>(
    event: E,
    matches: (payload: EventPayload<E>) => boolean = () => true,
  ): Promise<EventPayload<E>> {
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe((name, payload) => {
        if ((name as EventName) !== event) return;
        const typed = payload as unknown as EventPayload<E>;
        if (!matches(typed)) return;
        unsubscribe();
        resolve(typed);
      });
    });
  }

  deviceList(): DeviceStatus[] {
    return [...this.devices.values()];
  }

  syncStatus(): EventPayload<'sync.status'> {
    return this.lastSync;
  }
}
