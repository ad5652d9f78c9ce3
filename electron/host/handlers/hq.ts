/**
 * The HQ link panel (see `contract/hq.ts`): the till's link as the settings hold it, and joining a chain with
 * a one-time code, which the host does without a restart (`Host.joinChain`). Permission checks (`devices.read`,
 * `hq.enrol`) have already happened in `api.ts`; the join is audited by the host under the admin.
 */
import type { Ledger } from '../../../db';
import type { CommandName, HqLinkView } from '../../contract';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';
import { allowsPractice, readBookMode } from '../book-mode';
import { type CardSecurity, cardKeyFingerprint } from '../card-security';
import { type HqLink, readHqLink } from '../enrolment/link';

export type HqHandlerNames = Extract<CommandName, `hq.${string}`>;

export function hqHandlers(deps: {
  ledger: Ledger;
  security: CardSecurity;
  identity: { storeId: string };
  trainingMode: boolean;
  joinChain: (input: { hqUrl: string; code: string; staffId: string }) => Promise<HqLink>;
}): Pick<Handlers, HqHandlerNames> {
  const canJoin = () =>
    !allowsPractice(
      readBookMode(deps.ledger.settings, { trainingMode: deps.trainingMode, storeId: deps.identity.storeId }),
    );
  const view = (): HqLinkView => {
    const link = readHqLink(deps.ledger.settings);
    return {
      linked: link !== undefined,
      canJoin: canJoin(),
      hqUrl: link?.url ?? null,
      terminalId: link?.terminalId ?? null,
      terminalName: link?.terminalName ?? null,
      storeId: link?.storeId ?? null,
      publicKey: link?.publicKey ?? null,
      enrolledAt: link?.enrolledAt ?? null,
      revokedAt: link?.revokedAt ?? null,
      cardKeyFingerprint: cardKeyFingerprint(deps.security.keys),
    };
  };
  return {
    'hq.status': () => view(),
    'hq.join': async ({ hqUrl, code }, { session }) => {
      const staff = session.staff;
      if (staff === null) throw new ApiError('UNAUTHENTICATED', 'Log in first');
      if (!canJoin()) {
        throw new ApiError('ENROLMENT_NOT_ALLOWED', 'A demo or training book never joins a chain.');
      }
      await deps.joinChain({ hqUrl, code, staffId: staff.id });
      return view();
    },
  };
}
