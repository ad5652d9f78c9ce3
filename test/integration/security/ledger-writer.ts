/**
 * A second process that keeps writing to a ledger file: top-ups and spends on the demo cards, one
 * committed operation after another, until its parent says "stop". Used to prove that a backup taken
 * under load restores to a consistent ledger. Replies to "count" with how many operations it committed.
 */
import { ulid } from 'ulid';
import { DEMO, openLedger } from '../../../db';

const path = process.argv[2];
if (path === undefined || process.send === undefined) {
  process.stderr.write('usage: fork ledger-writer.ts <ledger path> (with an IPC channel)\n');
  process.exit(2);
}
const send = (message: unknown) => process.send?.(message);

const ledger = openLedger({ path, checkpointIntervalMs: 0, checkInvariantsAtOpen: false });
const cards = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.magstripe.id];
let committed = 0;
let stopping = false;

process.on('message', (message) => {
  if (message === 'count') send({ count: committed });
  if (message === 'stop') stopping = true;
});

function writeOne(index: number): void {
  const cardId = cards[index % cards.length]!;
  const common = { cardId, staffId: DEMO.staff.cashier.id, terminalId: DEMO.terminalId };
  if (index % 3 === 2) {
    ledger.spend({ ...common, operationId: ulid(), amountFen: 300 });
  } else {
    ledger.topUp({
      ...common,
      operationId: ulid(),
      amountFen: 1_000,
      tender: 'cash',
      bonusFen: 100,
      points: 10,
    });
  }
  committed += 1;
}

// Each write is synchronous; yielding between them lets the parent's messages in.
const loop = () => {
  if (stopping) {
    ledger.close();
    send({ stopped: true, count: committed });
    process.exit(0);
  }
  writeOne(committed);
  setImmediate(loop);
};
send({ ready: true });
loop();
