/**
 * Delivers the notice outbox: on each tick it turns new ledger outbox rows into notices, then sends what is
 * due through the member provider (member notices) or the CRM webhook (CRM events), one at a time, marking
 * each delivered or failed (retried with backoff, or given up). Ticks never overlap.
 */
import type { MemberNames } from '../../../db';
import type { Notice, NoticeStore } from '../../../db/notices';
import { withMemberName } from '../member-names';
import { NoticeDeliveryError, type NoticeProvider, type Recipient } from './providers';

export interface NoticeWorkerOptions {
  store: NoticeStore;
  member: NoticeProvider;
  crm: NoticeProvider | null;
  recipientOf: (memberId: string) => Recipient | null;
  /** Members' names in clear for CRM events (the notice keeps the ledger's mask; `../member-names.ts`). */
  names?: MemberNames;
  intervalMs?: number;
  batch?: number;
  onError?: (error: unknown, notice: Notice) => void;
}

export interface TickResult {
  collected: number;
  delivered: number;
  failed: number;
}

export class NoticeWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickResult> | null = null;

  constructor(private options: NoticeWorkerOptions) {}

  /** Changes where notices go (a manager changed the settings). */
  configure(providers: { member: NoticeProvider; crm: NoticeProvider | null }): void {
    this.options = { ...this.options, ...providers };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.tick().catch(() => undefined);
    }, this.options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  tick(): Promise<TickResult> {
    if (this.running) return this.running;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<TickResult> {
    const { store } = this.options;
    const collected = store.collect({ crm: this.options.crm !== null });
    const result: TickResult = { collected, delivered: 0, failed: 0 };
    for (const notice of store.due(this.options.batch ?? 50)) {
      const provider = notice.topic === 'crm' ? this.options.crm : this.options.member;
      if (provider === null) continue;
      try {
        const recipient =
          notice.topic === 'member' && notice.memberId !== null
            ? this.options.recipientOf(notice.memberId)
            : null;
        const names = this.options.names;
        const sent =
          notice.topic === 'crm' && names !== undefined
            ? { ...notice, payload: withMemberName(notice.payload, names, ['data', 'member']) }
            : notice;
        await provider.deliver(sent, recipient);
        store.markDelivered(notice.id);
        result.delivered += 1;
      } catch (error) {
        const permanent = error instanceof NoticeDeliveryError && error.permanent;
        store.markFailed(notice.id, error instanceof Error ? error.message : String(error), { permanent });
        result.failed += 1;
        this.options.onError?.(error, notice);
      }
    }
    return result;
  }
}
