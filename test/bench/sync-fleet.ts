/**
 * The terminals of the `sync` bench's fleet figure, in a process of their own as they would be on their own
 * machines: reads `{ url, terminals: [{ terminalId, storeId, key }], pushes, opsPerPush }` as JSON on stdin,
 * pushes from every terminal at once, and prints `{ elapsedMs, latencies }` as JSON on stdout.
 */
import { HqHttpClient, type TerminalCredentials } from '../../sync';
import { TestTerminal } from '../integration/sync/test-terminal';
import { since } from './harness';

interface FleetInput {
  url: string;
  terminals: TerminalCredentials[];
  pushes: number;
  opsPerPush: number;
}

let text = '';
for await (const chunk of process.stdin) text += String(chunk);
const input = JSON.parse(text) as FleetInput;

const fleet = input.terminals.map((credentials, index) => {
  const outbox = new TestTerminal(credentials.terminalId, credentials.storeId);
  outbox.writeMany(input.pushes * input.opsPerPush, `fleet-card-${index % 7}`);
  return { outbox, client: new HqHttpClient(input.url, credentials) };
});
const latencies: number[] = [];
const start = process.hrtime.bigint();
await Promise.all(
  fleet.map(async ({ outbox, client }) => {
    for (let push = 0; push < input.pushes; push += 1) {
      const batch = outbox.pending(input.opsPerPush);
      const sent = process.hrtime.bigint();
      await client.push(batch[0]!.terminalId, batch);
      latencies.push(since(sent));
      outbox.markSent(
        batch.map((row) => row.seq),
        Date.now(),
      );
    }
  }),
);
const elapsedMs = since(start);
for (const { outbox } of fleet) outbox.close();
process.stdout.write(JSON.stringify({ elapsedMs, latencies }));
