/**
 * The simulator panel of a demo or training book: the demo cards to tap or swipe, and the receipts the
 * simulated printer took. In a live book there is no simulator and every one of these is refused with
 * SIMULATOR_UNAVAILABLE whatever the role.
 */
import type { Ledger, MemberNames } from '../../../db';
import { DEMO } from '../../../db';
import type { CommandName } from '../../contract';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';
import type { BookMode } from '../book-mode';
import type { Printing } from '../devices/printing';
import type { Simulator } from '../simulator';

export type SimulatorHandlerNames = Extract<CommandName, `simulator.${string}`>;

export function simulatorHandlers(deps: {
  ledger: Ledger;
  /** Members' names in clear (the ledger's row keeps a mask in an encrypted ledger). */
  names: MemberNames;
  /** Null in a live book. */
  simulator: Simulator | null;
  mode: BookMode;
  printing: Printing;
}): Pick<Handlers, SimulatorHandlerNames> {
  const { ledger } = deps;
  const simulator = (): Simulator => {
    if (deps.simulator === null) {
      throw new ApiError('SIMULATOR_UNAVAILABLE', 'The simulator exists only in demo and training books', {
        details: { mode: deps.mode },
      });
    }
    return deps.simulator;
  };
  return {
    'simulator.cards': () => {
      const sim = simulator();
      const cards = [
        { ...DEMO.cards.uid, tap: true },
        { ...DEMO.cards.mifare, uid: null, tap: false },
        { ...DEMO.cards.magstripe, uid: null, tap: false },
        { ...DEMO.cards.keyed, uid: null, tap: false },
      ];
      return cards.flatMap((demo) => {
        const found = ledger.findCardByNumber(demo.cardNumber);
        if (found === undefined) return [];
        // The secured demo card is tapped as a card in the chain's format, issued with this terminal's keys.
        const uid =
          found.medium === 'mifare' ? sim.offerSecuredCard(found.cardNumber) : (found.uid ?? undefined);
        const label = deps.names(found.memberId) ?? found.member.name;
        return [{ uid: uid ?? '', cardNumber: found.cardNumber, label }];
      });
    },
    'simulator.presentCard': async ({ uid }) => {
      await simulator().presentCard(uid);
      return { ok: true };
    },
    'simulator.removeCard': () => {
      simulator().removeCard();
      return { ok: true };
    },
    'simulator.swipe': ({ cardNumber }) => {
      simulator().swipe(cardNumber);
      return { ok: true };
    },
    'simulator.printedReceipts': ({ limit }) => {
      simulator();
      return deps.printing.printed(limit);
    },
  };
}
