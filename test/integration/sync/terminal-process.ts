/**
 * A terminal's sync worker in its own process, so a test can kill it with SIGKILL mid-send.
 * argv: <hq url> <sqlite file>; env SYNC_CREDENTIALS = JSON { terminalId, storeId, key }.
 * Prints "drained" when the outbox is empty.
 */
import { HqHttpClient, SyncWorker, type TerminalCredentials } from '../../../sync';
import { TestTerminal } from './test-terminal';

const [url, file] = process.argv.slice(2);
const credentials = JSON.parse(process.env.SYNC_CREDENTIALS ?? '{}') as TerminalCredentials;
const terminal = new TestTerminal(credentials.terminalId, credentials.storeId, file);
const worker = new SyncWorker({
  terminalId: credentials.terminalId,
  outbox: terminal,
  settings: terminal,
  transport: new HqHttpClient(url!, credentials),
  batchSize: 50,
  backoff: { baseMs: 20, capMs: 200 },
});
await worker.drain();
process.stdout.write('drained\n');
terminal.close();
