/**
 * Collecting a WeChat Pay or Alipay payment code (付款码支付) through a payment provider. The host asks the
 * provider to take the amount with the code the customer showed, keyed by the operation id, so a resend of
 * the same operation never takes the money twice; if the ledger then refuses the operation, the collection
 * is reversed. Two providers:
 * - `httpPaymentProvider`: the store's payment gateway over HTTP (JSON, `POST {base}/micropay` and
 *   `POST {base}/reverse`), configured with `POS_PAYMENT_GATEWAY`;
 * - `simulatedPaymentProvider`: demo and training books, which take no real money.
 * A live book without a gateway refuses payment codes (PAYMENT_PROVIDER_NOT_CONFIGURED).
 */
import type { PayCodeTender } from '../../contract/pay-code';
import { ApiError } from '../../errors';

export interface CollectRequest {
  operationId: string;
  tender: PayCodeTender;
  amountFen: number;
  /** The payment code scanned from the customer's phone. */
  authCode: string;
  storeId: string;
  terminalId: string;
}

export interface PaymentProvider {
  /** Which provider took the money (shown nowhere secret; logged with the operation). */
  readonly name: string;
  /** Takes the amount; resolves with the provider's transaction id, or throws a coded refusal. */
  collect(request: CollectRequest): Promise<{ transactionId: string }>;
  /** Gives back a collection the ledger then refused. */
  reverse(operationId: string): Promise<void>;
}

/** Demo and training: every well-formed code pays, and the transaction id says it was simulated. */
export function simulatedPaymentProvider(): PaymentProvider {
  return {
    name: 'simulated',
    collect: async (request) => ({ transactionId: `SIM-${request.operationId}` }),
    reverse: async () => {},
  };
}

/** A live book whose store has no payment gateway: payment codes are refused, in words. */
export function unconfiguredPaymentProvider(): PaymentProvider {
  const refuse = (): never => {
    throw new ApiError(
      'PAYMENT_PROVIDER_NOT_CONFIGURED',
      'No payment gateway is set up for this store: take the payment another way',
    );
  };
  return { name: 'none', collect: async () => refuse(), reverse: async () => refuse() };
}

const TIMEOUT_MS = 20_000;

/** The store's payment gateway at `base` (e.g. `http://127.0.0.1:8700`). */
export function httpPaymentProvider(base: string): PaymentProvider {
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, base.endsWith('/') ? base : `${base}/`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (cause) {
      throw new ApiError('PAYMENT_PROVIDER_UNREACHABLE', 'The payment gateway did not answer', { cause });
    }
    if (!response.ok) {
      throw new ApiError('PAYMENT_PROVIDER_UNREACHABLE', `The payment gateway answered ${response.status}`, {
        details: { status: response.status },
      });
    }
    return (await response.json()) as Record<string, unknown>;
  };
  return {
    name: 'gateway',
    async collect(request) {
      const answer = await post('micropay', request);
      if (answer.status === 'paid' && typeof answer.transactionId === 'string') {
        return { transactionId: answer.transactionId };
      }
      throw new ApiError('PAYMENT_DECLINED', 'The payment was declined', {
        details: { reason: typeof answer.reason === 'string' ? answer.reason : 'declined' },
      });
    },
    async reverse(operationId) {
      await post('reverse', { operationId });
    },
  };
}
