/**
 * The slips the member desk prints: a statement, a new card, a replacement, a closed card. Each names the
 * member masked, as every receipt does.
 */
import type { Card, Ledger, Store } from '../../../db';
import type { ReceiptModel } from '../../receipts/index';
import type { Printing } from '../devices/printing';
import { maskedCard, maskedName } from '../receipt-model';
import type { Session } from '../session';

export interface MemberSlips {
  /**
   * Renders a slip and queues it under `jobId`; a replayed request passes 'reprint' (shown, marked, never
   * queued again) and a statement 'preview' (shown only).
   */
  slip: (session: Session, model: ReceiptModel, jobId: string, at: number) => string;
  /** The card's member as a slip names them. */
  memberOnSlip: (card: Card) => { maskedCard: string; maskedName: string };
}

export function memberSlips(deps: {
  ledger: Ledger;
  printing: Printing;
  terminalId: string;
  store: () => Store;
}): MemberSlips {
  const slip = (session: Session, model: ReceiptModel, jobId: string, at: number): string => {
    const reprint = jobId === 'reprint';
    const { name: storeName, timeZone } = deps.store();
    const { bytes, text } = deps.printing.render(model, {
      storeName,
      terminalId: deps.terminalId,
      cashier: session.staff?.name ?? '',
      at,
      timeZone,
      language: 'zh-CN',
      ...(reprint ? { reprint: true } : {}),
    });
    if (!reprint && jobId !== 'preview') deps.printing.print(jobId, model.kind, bytes);
    return text;
  };

  const memberOnSlip = (card: Card) => {
    const member = deps.ledger.member(card.memberId);
    return { maskedCard: maskedCard(card.cardNumber), maskedName: maskedName(member?.name ?? '') };
  };

  return { slip, memberOnSlip };
}
