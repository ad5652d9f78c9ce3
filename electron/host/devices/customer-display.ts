/**
 * The customer display (客显): one view of what the customer is shown, drawn twice. The LED pole display paired
 * on this terminal shows its number with the matching lamp (单价 while the amount is typed, 总计 at the
 * confirmation, 收款 and 找零 after cash); the customer window on the second screen gets every view as a
 * `customer.display` event and draws the masked member name, the balance after and a thank-you as well.
 * The pairing is kept per terminal in the ledger's settings and applied at every start. A display that
 * fails never stops a sale: the failure is logged and shown on the Devices screen.
 */
import { type Ledger, openRatings, RatingError, withinTransaction } from '../../../db';
import {
  DeviceError,
  type LedDisplay,
  type LedLamp,
  SerialLedDisplay,
  VirtualLedDisplay,
} from '../../../hardware/index';
import type { CustomerView, DisplayStatus, LedDisplayPairing } from '../../contract';
import { ApiError } from '../../errors';
import type { HostAudit } from '../audit';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';
import { maskedName } from '../receipt-model';

/** The settings key a terminal's LED display pairing is kept under. */
export const displayKey = (terminalId: string) => `devices.display.${terminalId}`;

/** The lamp each phase lights; `done` keeps the total on show until the next customer. */
const LAMP: Record<CustomerView['phase'], LedLamp> = {
  idle: 'none',
  amount: 'price',
  total: 'total',
  paid: 'paid',
  change: 'change',
  done: 'total',
};

/** How long after a charge the customer window offers the stars. */
export const RATING_WINDOW_MS = 30_000;

/** What the display test shows: every segment of the eight digits that an amount uses. */
export const TEST_AMOUNT_FEN = 888_888;

export interface ShowRequest {
  phase: CustomerView['phase'];
  amountFen?: number | undefined;
  changeFen?: number | undefined;
  cardId?: string | undefined;
  operationId?: string | undefined;
}

export interface CustomerDisplayOptions {
  ledger: Ledger;
  terminalId: string;
  hub: DeviceHub;
  logger: Logger;
  /** The virtual display is practice equipment: demo and training books only. */
  allowsVirtual: boolean;
  audit?: HostAudit;
  now?: () => number;
}

export class CustomerDisplay {
  private pairing: LedDisplayPairing | null;
  private led: LedDisplay | null = null;
  private problem: string | null = null;
  private view: CustomerView;
  /** The charge on show that the customer may rate, until the window closes or the next customer. */
  private rateable: { operationId: string; staffId: string; visitAt: number; until: number } | null = null;
  private readonly ratings: ReturnType<typeof openRatings>;
  private readonly now: () => number;
  /** LED writes in order, one at a time: a slow 2400-baud line never reorders amounts. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: CustomerDisplayOptions) {
    this.now = options.now ?? Date.now;
    this.ratings = openRatings(options.ledger);
    this.pairing = options.ledger.settings.get<LedDisplayPairing>(displayKey(options.terminalId)) ?? null;
    this.view = this.blankView();
  }

  private blankView(): CustomerView {
    return {
      phase: 'idle',
      amountFen: null,
      changeFen: null,
      memberName: null,
      balanceAfterFen: null,
      rating: null,
      at: this.now(),
    };
  }

  /** Opens the paired LED display (at host start and after pairing). */
  async start(): Promise<void> {
    const pairing = this.pairing;
    if (pairing === null) return;
    if (pairing.kind === 'virtual' && !this.options.allowsVirtual) {
      this.problem = 'SIMULATOR_UNAVAILABLE';
      return;
    }
    const led = pairing.kind === 'virtual' ? new VirtualLedDisplay() : new SerialLedDisplay(pairing);
    this.led = led;
    await this.run(() => led.open());
  }

  async stop(): Promise<void> {
    await this.queue;
    await this.led?.close();
    this.led = null;
  }

  current(): CustomerView {
    return this.view;
  }

  status(): DisplayStatus {
    const led = this.led;
    const state =
      this.pairing === null
        ? 'disconnected'
        : this.problem !== null
          ? 'error'
          : this.pairing.kind === 'virtual'
            ? 'simulated'
            : 'connected';
    const shown = led?.state();
    return {
      led: this.pairing,
      device: led?.description ?? (this.pairing?.kind === 'serial' ? `serial ${this.pairing.path}` : null),
      state,
      problem: this.problem,
      shown: shown === undefined ? null : { lamp: shown.lamp, text: shown.text },
      view: this.view,
    };
  }

  async pair(pairing: LedDisplayPairing | null, staffId: string | null): Promise<DisplayStatus> {
    if (pairing?.kind === 'virtual' && !this.options.allowsVirtual) {
      throw new ApiError('SIMULATOR_UNAVAILABLE', 'The virtual display is for demo and training books only');
    }
    const { ledger, audit, terminalId } = this.options;
    withinTransaction(ledger, () => {
      ledger.settings.set(displayKey(terminalId), pairing);
      audit?.record({
        action: pairing === null ? 'device.unpair' : 'device.pair',
        staffId,
        details: {
          role: 'display',
          kind: pairing?.kind ?? null,
          device: pairing?.kind === 'serial' ? pairing.path : (pairing?.kind ?? null),
        } as never,
      });
    });
    await this.stop();
    this.pairing = pairing;
    this.problem = null;
    await this.start();
    this.options.logger.info({ pairing }, 'customer display paired');
    return this.status();
  }

  /** Lights the display with the test total and reports what it shows; DISPLAY_NOT_PAIRED with none. */
  async test(): Promise<DisplayStatus> {
    if (this.pairing === null) {
      throw new ApiError('DEVICE_NOT_PAIRED', 'No customer display is paired', {
        details: { role: 'display' },
      });
    }
    if (this.led === null) await this.start();
    await this.run(async () => this.led?.show('total', TEST_AMOUNT_FEN));
    if (this.problem !== null) {
      throw new ApiError(this.problem, 'The customer display did not take the test total', {
        details: { device: this.status().device },
      });
    }
    return this.status();
  }

  /** What the counter asks to show: drawn on the customer window, and its number on the LED display. */
  async show(request: ShowRequest): Promise<CustomerView> {
    const member = request.cardId === undefined ? undefined : this.memberOf(request.cardId);
    this.rateable = request.phase === 'done' ? this.rateableOf(request.operationId) : null;
    const view: CustomerView =
      request.phase === 'idle'
        ? this.blankView()
        : {
            phase: request.phase,
            amountFen: request.amountFen ?? null,
            changeFen: request.changeFen ?? null,
            memberName: member?.name ?? null,
            balanceAfterFen: request.phase === 'done' ? (member?.balanceFen ?? null) : null,
            rating: this.rateable === null ? null : { until: this.rateable.until, stars: null },
            at: this.now(),
          };
    this.view = view;
    this.options.hub.emit('customer.display', view);
    const led = this.led;
    if (led !== null) {
      const fen = view.phase === 'change' ? view.changeFen : view.amountFen;
      await this.run(() =>
        view.phase === 'idle' || fen === null ? led.blank() : led.show(LAMP[view.phase], fen),
      );
    }
    return view;
  }

  /**
   * The customer's stars for the charge on show: recorded once in the store's ratings, as the cashier who
   * made it, while the customer window offers them. Anything else is refused (RATING_NOT_RATEABLE), and a
   * second rating of the same visit too (RATING_ALREADY_GIVEN); the customer window cannot name a visit.
   */
  rate(stars: number): CustomerView {
    const rateable = this.rateable;
    const at = this.now();
    if (this.view.phase !== 'done' || rateable === null || at > rateable.until) {
      throw new RatingError('RATING_NOT_RATEABLE', 'There is no visit to rate on the customer screen now.');
    }
    const { ledger, terminalId } = this.options;
    this.ratings.record({
      operationId: rateable.operationId,
      storeId: ledger.terminal(terminalId)?.storeId ?? '',
      terminalId,
      staffId: rateable.staffId,
      staffName: ledger.staff(rateable.staffId)?.name ?? rateable.staffId,
      stars,
      source: 'screen',
      visitAt: rateable.visitAt,
      ratedAt: at,
    });
    this.view = { ...this.view, rating: { until: rateable.until, stars }, at };
    this.rateable = null;
    this.options.hub.emit('customer.display', this.view);
    return this.view;
  }

  /** A charge this till just made and nobody rated yet, offered for the rating window. */
  private rateableOf(operationId: string | undefined): CustomerDisplay['rateable'] {
    if (operationId === undefined) return null;
    const operation = this.options.ledger.operation(operationId);
    if (operation?.kind !== 'spend' || operation.terminalId !== this.options.terminalId) return null;
    if (this.ratings.starsOf(operationId) !== null) return null;
    return {
      operationId,
      staffId: operation.staffId,
      visitAt: operation.createdAt,
      until: this.now() + RATING_WINDOW_MS,
    };
  }

  private memberOf(cardId: string): { name: string; balanceFen: number } | undefined {
    const card = this.options.ledger.card(cardId);
    if (card === undefined) return undefined;
    const found = this.options.ledger.findCardByNumber(card.cardNumber);
    const balance = this.options.ledger.balance(cardId);
    return {
      name: found === undefined ? '' : maskedName(found.member.name),
      balanceFen: balance.principalFen + balance.bonusFen,
    };
  }

  /** Runs one LED write after the others; a failure is remembered and logged, never thrown at the counter. */
  private run(write: () => Promise<unknown>): Promise<void> {
    const next = this.queue.then(async () => {
      try {
        await write();
        this.problem = null;
      } catch (error) {
        this.problem = error instanceof DeviceError ? error.code : 'DISPLAY_WRITE_FAILED';
        this.options.logger.warn({ err: error }, 'customer display write failed');
      }
    });
    this.queue = next;
    return next;
  }
}
