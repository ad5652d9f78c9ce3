/**
 * A payment code at the counter: checked against the tender the cashier (or the code's prefix) named, then
 * collected through the provider before the ledger is asked, and reversed if the ledger then refuses. A
 * reference that is not code-shaped (a transaction number of a payment taken on another device) is recorded
 * as it is, as before.
 */
import { looksLikePayCode, tenderOfPayCode } from '../../contract/pay-code';
import { ApiError } from '../../errors';
import type { PaymentProvider } from './provider';

export interface PayCodeCollector {
  /**
   * Runs `record` once the code (if `reference` is one) has been paid; `record` is the ledger operation. A
   * replay of an operation already recorded is not collected again.
   */
  withCollection<T>(
    request: {
      operationId: string;
      tender: string | undefined;
      amountFen: number;
      reference: string | undefined;
      alreadyRecorded: boolean;
    },
    record: () => T,
  ): Promise<T>;
}

export function payCodeCollector(
  provider: PaymentProvider,
  identity: { storeId: string; terminalId: string },
): PayCodeCollector {
  return {
    async withCollection(request, record) {
      const { reference, tender } = request;
      if (request.alreadyRecorded || reference === undefined || !looksLikePayCode(reference)) return record();
      if (tender !== 'wechat' && tender !== 'alipay') return record();
      const codeTender = tenderOfPayCode(reference);
      // A long number that is no wallet's payment code is a transaction number from the wallet's own device
      // (the customer paid there): it is kept as typed, as before payment codes were collected here.
      if (codeTender === null) return record();
      if (codeTender !== tender) {
        throw new ApiError('PAYMENT_CODE_TENDER_MISMATCH', 'The payment code belongs to the other wallet', {
          details: { tender, codeTender },
        });
      }
      await provider.collect({
        operationId: request.operationId,
        tender: codeTender,
        amountFen: request.amountFen,
        authCode: reference,
        ...identity,
      });
      try {
        return record();
      } catch (error) {
        // The customer paid and the ledger refused: give the money back, and say what the ledger said.
        await provider.reverse(request.operationId).catch(() => {});
        throw error;
      }
    },
  };
}
