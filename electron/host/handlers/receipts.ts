/**
 * Receipts of money operations at the counter: the first print when an operation commits, and a copy printed
 * again on request (marked 重打). The copy is rebuilt from the ledger (the operation and the card's balance just
 * after it), so any operation of the card can be reprinted, not only the last one.
 */
import type { CardWithMember, Ledger, OperationResult as LedgerResult, Store } from '../../../db';
import type { ReceiptPrint } from '../../contract';
import { ApiError } from '../../errors';
import type { ReceiptModel } from '../../receipts/index';
import type { Handlers } from '../api';
import type { Printing } from '../devices/printing';
import type { RatingLink } from '../rating-link';
import { RECEIPT_KINDS, type ReceiptFacts, receiptModel } from '../receipt-model';
import type { Session } from '../session';

export interface ReceiptDeps {
  ledger: Ledger;
  printing: Printing;
  identity: { terminalId: string };
  store: () => Store;
  cardById: (cardId: string) => CardWithMember;
  /** HQ's rating page for a charge (`../rating-link.ts`); absent off a chain and in the training book. */
  ratingLink?: RatingLink;
}

/**
 * The rating link a charge's receipt carries, on its first print and on every copy: the till signs the same
 * visit the same way, so a copy's QR is the same link and the visit is still rated once.
 */
export function ratingUrlOf(
  ratingLink: RatingLink | undefined,
  result: Pick<LedgerResult, 'kind' | 'operationId' | 'createdAt'>,
  staff: { id: string; name: string } | undefined,
): string | undefined {
  if (ratingLink === undefined || result.kind !== 'spend' || staff === undefined) return undefined;
  return ratingLink({
    operationId: result.operationId,
    staffId: staff.id,
    staffName: staff.name,
    at: result.createdAt,
  });
}

/** The first receipt's print job; its reprints are `reprint-<operation>-<request>`. */
export const receiptJobId = (operationId: string): string => `receipt-${operationId}`;
const reprintPrefix = (operationId: string): string => `reprint-${operationId}-`;

export interface ReceiptJob {
  jobId: string;
  reprint: boolean;
  cashier: string;
  /** When the operation happened (UTC ms). */
  at: number;
  /** False: only render (the receipt was queued before). */
  queue: boolean;
  /** Copies still waiting that this one replaces. */
  supersedes?: readonly string[];
  /** The print job's kind (default: the receipt's). */
  kind?: string;
}

/** Renders a receipt model and, unless `queue` is false, puts it in the print queue. */
export function printReceipt(
  deps: Pick<ReceiptDeps, 'printing' | 'identity' | 'store'>,
  job: ReceiptJob,
  model: ReceiptModel,
): { text: string; receipt: ReceiptPrint | undefined } {
  const { name: storeName, timeZone } = deps.store();
  const { bytes, text } = deps.printing.render(model, {
    storeName,
    terminalId: deps.identity.terminalId,
    cashier: job.cashier,
    at: job.at,
    timeZone,
    language: 'zh-CN',
    ...(job.reprint ? { reprint: true } : {}),
  });
  if (!job.queue) return { text, receipt: deps.printing.receiptState(job.jobId) };
  const receipt =
    job.supersedes === undefined
      ? deps.printing.print(job.jobId, job.kind ?? model.kind, bytes)
      : deps.printing.reprint(job.jobId, job.kind ?? model.kind, bytes, job.supersedes);
  return { text, receipt };
}

/** Renders an operation's receipt and, unless `queue` is false, puts it in the print queue. */
export function printOperationReceipt(
  deps: ReceiptDeps,
  job: Omit<ReceiptJob, 'at'>,
  result: LedgerResult,
  card: CardWithMember,
  facts: ReceiptFacts,
): { text: string; receipt: ReceiptPrint | undefined } {
  return printReceipt(
    deps,
    { ...job, at: result.createdAt, kind: result.kind },
    receiptModel(result, card, facts),
  );
}

/** What the receipt shows that the ledger keeps beside the operation (tender, approver, the voided original). */
function factsOf(
  ledger: Ledger,
  operationId: string,
  ratingLink: RatingLink | undefined,
): { result: LedgerResult; facts: ReceiptFacts } {
  const op = ledger.operation(operationId);
  if (op === undefined || op.cardId === null || !RECEIPT_KINDS.includes(op.kind)) {
    throw new ApiError('RECEIPT_NOT_AVAILABLE', 'This operation has no receipt to print again', {
      details: { operationId },
    });
  }
  const line = ledger
    .statement(op.cardId, { from: op.createdAt, to: op.createdAt + 1 })
    .find((entry) => entry.operationId === operationId);
  if (line === undefined) {
    throw new ApiError('RECEIPT_NOT_AVAILABLE', 'The operation is missing from its card', {
      details: { operationId },
    });
  }
  const target = op.targetOperationId === null ? undefined : ledger.operation(op.targetOperationId);
  const approver = op.approvedBy === null ? undefined : ledger.staff(op.approvedBy);
  const cashier = ledger.staff(op.staffId);
  const ratingUrl = ratingUrlOf(ratingLink, op, cashier);
  const facts: ReceiptFacts = {
    ...(op.tender === null ? {} : { tender: op.tender }),
    ...(op.tenderReference === null ? {} : { reference: op.tenderReference }),
    ...(op.targetOperationId === null ? {} : { originalOperationId: op.targetOperationId }),
    ...(op.kind === 'void' ? { tender: target?.tender ?? 'stored_value' } : {}),
    ...(approver === undefined ? {} : { approvedBy: approver.name }),
    ...(ratingUrl === undefined ? {} : { ratingUrl }),
  };
  const result: LedgerResult = {
    operationId: op.operationId,
    kind: op.kind,
    cardId: op.cardId,
    amountFen: op.amountFen,
    principalFen: op.principalFen,
    bonusFen: op.bonusFen,
    points: op.points,
    balanceAfter: line.balanceAfter,
    businessDay: op.businessDay,
    createdAt: op.createdAt,
    replayed: true,
  };
  return { result, facts };
}

export function receiptHandlers(deps: ReceiptDeps): Pick<Handlers, 'receipt.reprint'> {
  return {
    'receipt.reprint': ({ operationId, requestId }, { session }: { session: Session }) => {
      const { result, facts } = factsOf(deps.ledger, operationId, deps.ratingLink);
      const jobId = `${reprintPrefix(operationId)}${requestId}`;
      // Copies of this receipt still waiting for the printer: the new copy replaces them.
      const waiting = deps.ledger.printJobs
        .list({ states: ['queued'], limit: 200 })
        .map((job) => job.id)
        .filter((id) => id === receiptJobId(operationId) || id.startsWith(reprintPrefix(operationId)));
      const repeat = deps.ledger.printJobs.get(jobId) !== undefined;
      const { text, receipt } = printOperationReceipt(
        deps,
        {
          jobId,
          reprint: true,
          cashier: session.staff?.name ?? '',
          queue: !repeat,
          supersedes: waiting.filter((id) => id !== jobId),
        },
        result,
        deps.cardById(result.cardId),
        facts,
      );
      return { receipt: receipt ?? { jobId, state: 'queued' }, receiptText: text };
    },
  };
}
