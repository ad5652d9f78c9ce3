/**
 * A real host (ledger, print queue with the simulated printer, outbox) driven through its API boundary as the
 * counter drives it: a cashier logged in, top-ups, charges and manager-approved voids, each with its receipt.
 * Lines on stdout tell the parent what happened, in order:
 *
 *   sent <json request>   about to call (the renderer has made the id and may retry it)
 *   ack <id> <kind> <amountFen> <replayed>   the host answered: committed, receipt queued
 *   printed <jobId>       the print queue reports the job out of the printer
 *   idle                  (drain mode) no job left queued or printing
 *
 * argv: <data dir> <round> <operations> [<json request to retry first> | -] [drain]
 */
import { ulid } from 'ulid';
import { DEMO } from '../../../db';
import { createHost } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';

const [dataDir, roundText, countText, retryText, mode] = process.argv.slice(2);
if (dataDir === undefined || roundText === undefined || countText === undefined) {
  process.stderr.write('usage: host-crash-child.ts <data dir> <round> <operations> [retry|-] [drain]\n');
  process.exit(2);
}
const round = Number(roundText);
const operations = Number(countText);
const out = (line: string) => process.stdout.write(`${line}\n`);

interface Request {
  command: 'wallet.topUp' | 'wallet.charge' | 'wallet.void';
  input: Record<string, unknown>;
}

const host = createHost({ book: 'demo', dataDir });
host.hub.subscribe((event, payload) => {
  const status = payload as { jobId?: string; state?: string };
  if (event === 'print.status' && status.state === 'printed') out(`printed ${status.jobId}`);
});
const session = new Session('crash');
const cards = [DEMO.cards.uid.id, DEMO.cards.magstripe.id, DEMO.cards.keyed.id];
const manager = { staffNo: DEMO.staff.manager.code, pin: DEMO.staff.manager.pin };

async function call(request: Request): Promise<void> {
  out(`sent ${JSON.stringify(request)}`);
  const reply = await host.api.call(session, request.command, request.input);
  if (!reply.ok) {
    out(`refused ${request.command} ${reply.error.code}`);
    return;
  }
  const value = reply.value as { operationId: string; kind: string; amountFen: number; replayed: boolean };
  out(`ack ${value.operationId} ${value.kind} ${value.amountFen} ${value.replayed}`);
}

async function drain(): Promise<void> {
  for (;;) {
    const open = host.ledger.printJobs.list({ states: ['queued', 'printing'], limit: 1 });
    if (open.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  out('idle');
  await host.close();
  process.exit(0);
}

async function main(): Promise<void> {
  // A thousand top-ups run the demo cards' balances far past the per-card limits (¥5,000 named, ¥1,000
  // anonymous), and a refused retry would prove nothing about crashes: the store's admin raises them first.
  const admin = new Session('crash-admin');
  await host.api.call(admin, 'session.login', { staffNo: DEMO.staff.admin.code, pin: DEMO.staff.admin.pin });
  const limits = await host.api.call(admin, 'limits.set', {
    namedCardMaxFen: 100_000_000,
    anonymousCardMaxFen: 100_000_000,
  });
  if (!limits.ok) throw new Error(`limits refused: ${limits.error.code}`);
  const login = await host.api.call(session, 'session.login', {
    staffNo: DEMO.staff.cashier.code,
    pin: DEMO.staff.cashier.pin,
  });
  if (!login.ok) throw new Error(`login refused: ${login.error.code}`);
  // The magstripe card goes through the swiper, as at the counter, so its charges need no manager's approval.
  const swiped = host.hub.next('swipe');
  host.simulator!.swipe(DEMO.cards.magstripe.cardNumber);
  await swiped;
  // The request the last run sent and never heard back about: the renderer retries it with the same id.
  if (retryText !== undefined && retryText !== '-') await call(JSON.parse(retryText) as Request);
  if (mode === 'drain') return drain();

  let seed = round * 7919 + 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < operations; i += 1) {
    const cardId = cards[i % cards.length]!;
    const roll = random();
    if (roll < 0.6) {
      const amountFen = 1_000 + Math.floor(random() * 9_000);
      await call({
        command: 'wallet.topUp',
        input: { operationId: ulid(), cardId, amountFen, tender: 'wechat', reference: `WX-${i}` },
      });
    } else if (roll < 0.99) {
      const amountFen = 100 + Math.floor(random() * 400);
      await call({ command: 'wallet.charge', input: { operationId: ulid(), cardId, amountFen } });
    } else {
      // Void the card's last operation, approved by the manager's PIN (refused if it is a void itself).
      const last = host.ledger.operationsOf({ cardId, limit: 100_000 }).at(-1);
      if (last === undefined || last.kind === 'void') continue;
      await call({
        command: 'wallet.void',
        input: { operationId: ulid(), cardId, targetOperationId: last.operationId, approver: manager },
      });
    }
  }
  return drain();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
