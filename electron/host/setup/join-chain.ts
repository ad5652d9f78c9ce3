/**
 * Joining a chain with today's HQ: the one-time code is exchanged for this till's identity and its terminal
 * key, and the HQ link (`host.hq`) is written into the new book, so the sync worker starts with the host.
 */
import { enrolTerminal } from '../../../sync/index';
import { ApiError } from '../../errors';
import { HQ_SETTING } from '../devices/sync';
import { FIRST_TERMINAL_NAME } from './books';
import type { JoinChain } from './first-start';

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function hqJoin(options: { fetch?: typeof fetch } = {}): JoinChain {
  return async (hqUrl, code) => {
    const answer = await enrolTerminal(
      hqUrl,
      code,
      options.fetch === undefined ? {} : { fetch: options.fetch },
    );
    if (answer.storeId === '' || answer.terminalId === '') {
      throw new ApiError('ENROLMENT_ANSWER_INVALID', 'HQ answered without a store or terminal');
    }
    return {
      store: {
        storeId: answer.storeId,
        // HQ names the store in its console; until its answer carries the name, the till shows HQ's id.
        storeName: answer.storeId,
        timeZone: DEFAULT_TIME_ZONE,
        terminalId: answer.terminalId,
        terminalName: FIRST_TERMINAL_NAME,
      },
      apply(ledger) {
        ledger.settings.set(HQ_SETTING, {
          url: hqUrl,
          terminalId: answer.terminalId,
          storeId: answer.storeId,
          key: answer.key,
        });
      },
    };
  };
}
