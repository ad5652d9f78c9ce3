/**
 * WeChat Pay and Alipay payment codes through the store's payment gateway: a real HTTP server on 127.0.0.1
 * stands in for the gateway and answers as one would. A code is collected once per operation (a resend
 * takes nothing again), its prefix must match the tender, a declined code records nothing, a collection the
 * ledger then refuses is reversed, and the code is printed as the payment's reference. A live book with no
 * gateway refuses codes in words; a demo book simulates the gateway.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import type { CommandName, OperationResult } from '../../../electron/contract';
import type { Session } from '../../../electron/host/session';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';

const WECHAT_CODE = '134567890123456789';
const ALIPAY_CODE = '281234567890123456';
/** The gateway declines this one, as for a code the customer's wallet refused. */
const DECLINED_CODE = '139999999999999999';

interface GatewayCall {
  path: string;
  body: Record<string, unknown>;
}

/** A payment gateway on loopback: records every call; declines DECLINED_CODE, pays anything else. */
function startGateway(): Promise<{ server: Server; url: string; calls: GatewayCall[] }> {
  const calls: GatewayCall[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      calls.push({ path: request.url ?? '', body });
      const answer =
        request.url === '/micropay' && body.authCode === DECLINED_CODE
          ? { status: 'declined', reason: 'BALANCE_NOT_ENOUGH' }
          : { status: 'paid', transactionId: `GW-${String(body.operationId)}` };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, calls });
    });
  });
}

let gateway: Awaited<ReturnType<typeof startGateway>>;
let book: BookUnderTest;
let cashier: Session;
const cardId = DEMO.cards.uid.id;

async function call(name: CommandName, input: unknown) {
  const reply = await book.host.api.call(cashier, name, input);
  return reply.ok ? { ...reply, value: reply.value as OperationResult } : reply;
}

beforeAll(async () => {
  gateway = await startGateway();
  book = await openBook('live', { paymentGateway: gateway.url });
  cashier = await sessionOf(book.host, 'cashier');
});

afterAll(async () => {
  await book?.close();
  await new Promise((resolve) => gateway?.server.close(resolve));
});

describe('a payment code at the gateway', () => {
  it('tops a card up once however often the same operation is sent, and prints the code', async () => {
    const input = {
      operationId: ulid(),
      cardId,
      amountFen: 10_000,
      tender: 'wechat',
      reference: WECHAT_CODE,
    };
    const first = await call('wallet.topUp', input);
    const again = await call('wallet.topUp', input);
    expect(first.ok && again.ok).toBe(true);
    const micropays = gateway.calls.filter((c) => c.path === '/micropay');
    expect(micropays).toEqual([
      {
        path: '/micropay',
        body: expect.objectContaining({
          operationId: input.operationId,
          tender: 'wechat',
          amountFen: 10_000,
          authCode: WECHAT_CODE,
        }),
      },
    ]);
    if (first.ok) expect(first.value.receiptText).toContain(WECHAT_CODE);
    expect(book.host.ledger.operation(input.operationId)?.tenderReference).toBe(WECHAT_CODE);
  });

  it('refuses a code of the other wallet before asking the gateway', async () => {
    const before = gateway.calls.length;
    const reply = await call('wallet.topUp', {
      operationId: ulid(),
      cardId,
      amountFen: 10_000,
      tender: 'wechat',
      reference: ALIPAY_CODE,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'PAYMENT_CODE_TENDER_MISMATCH' } });
    expect(gateway.calls.length).toBe(before);
  });

  it('records nothing when the gateway declines', async () => {
    const operationId = ulid();
    const balance = book.host.ledger.balance(cardId);
    const reply = await call('wallet.topUp', {
      operationId,
      cardId,
      amountFen: 10_000,
      tender: 'wechat',
      reference: DECLINED_CODE,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'PAYMENT_DECLINED' } });
    expect(book.host.ledger.operation(operationId)).toBeUndefined();
    expect(book.host.ledger.balance(cardId)).toEqual(balance);
  });

  it('takes the rest of a split charge by Alipay', async () => {
    const total = book.host.ledger.balance(cardId);
    const held = total.principalFen + total.bonusFen;
    const reply = await call('wallet.charge', {
      operationId: ulid(),
      cardId,
      amountFen: held + 2_000,
      rest: { tender: 'alipay', amountFen: 2_000, reference: ALIPAY_CODE },
    });
    expect(reply.ok).toBe(true);
    if (reply.ok) {
      expect(reply.value.charge?.rest).toEqual({
        tender: 'alipay',
        amountFen: 2_000,
        reference: ALIPAY_CODE,
      });
      expect(reply.value.receiptText).toContain(ALIPAY_CODE);
    }
    expect(gateway.calls.at(-1)?.body).toMatchObject({ tender: 'alipay', amountFen: 2_000 });
  });

  it('reverses a collection the ledger then refuses', async () => {
    // The card is empty now: a split that still leaves ¥10 to the card cannot be recorded.
    const operationId = ulid();
    const reply = await call('wallet.charge', {
      operationId,
      cardId,
      amountFen: 3_000,
      rest: { tender: 'wechat', amountFen: 2_000, reference: WECHAT_CODE },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'BALANCE_INSUFFICIENT' } });
    expect(gateway.calls.slice(-2)).toEqual([
      expect.objectContaining({ path: '/micropay' }),
      { path: '/reverse', body: { operationId } },
    ]);
  });
});

describe('without a gateway', () => {
  it('a live book refuses payment codes in words; a demo book simulates the gateway', async () => {
    const live = await openBook('live');
    const demo = await openBook('demo');
    try {
      const input = () => ({
        operationId: ulid(),
        cardId,
        amountFen: 1_000,
        tender: 'alipay',
        reference: ALIPAY_CODE,
      });
      const refused = await live.host.api.call(
        await sessionOf(live.host, 'cashier'),
        'wallet.topUp',
        input(),
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'PAYMENT_PROVIDER_NOT_CONFIGURED' } });
      const simulated = await demo.host.api.call(
        await sessionOf(demo.host, 'cashier'),
        'wallet.topUp',
        input(),
      );
      expect(simulated.ok).toBe(true);
    } finally {
      await live.close();
      await demo.close();
    }
  });
});
