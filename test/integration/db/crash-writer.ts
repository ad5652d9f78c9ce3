/**
 * Child process of the crash test: writes a stream of operations to the ledger file given as the first
 * argument and prints "ack <operationId>" on stdout after each one returns (that is, after its commit).
 * The parent kills it with SIGKILL at a random moment.
 */
import { writeSync } from 'node:fs';
import { DEMO, openLedger } from '../../../db/index';

const [path, round] = process.argv.slice(2);
if (!path || !round) throw new Error('usage: crash-writer <ledger path> <round>');

const ledger = openLedger({ path, checkpointIntervalMs: 50 });
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
const cards = [DEMO.cards.uid.id, DEMO.cards.mifare.id, DEMO.cards.keyed.id];
const who = { staffId: DEMO.staff.cashier.id, terminalId: DEMO.terminalId };

for (let i = 0; ; i += 1) {
  const cardId = cards[Math.floor(i / 3) % cards.length]!;
  const operationId = `crash-${round}-${i}`;
  if (i % 3 === 2) {
    ledger.spend({ operationId, cardId, amountFen: 700, ...who });
  } else {
    ledger.topUp({
      operationId,
      cardId,
      amountFen: 1_000,
      tender: 'wechat',
      bonusFen: 100,
      points: 1,
      ...who,
    });
  }
  // A synchronous write, so an acknowledgement is never still in a buffer when it was printed.
  writeSync(1, `ack ${operationId}\n`);
  // A breath between operations, as between two sales. Without it, a writer that takes the lock again the
  // moment it let go starves the other one, whose busy handler polls between sleeps: on a loaded machine the
  // other waits past its busy timeout and fails, which a till never sees.
  Atomics.wait(PAUSE, 0, 0, 1);
}
