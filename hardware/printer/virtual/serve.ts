/**
 * Runs a virtual receipt printer for training and for trying the app without hardware:
 *
 *   npx tsx hardware/printer/virtual/serve.ts --tcp 9100 [--profile pos58-203]
 *   npx tsx hardware/printer/virtual/serve.ts --serial /tmp/printer-b   (one end of a socat pty pair)
 *
 * Every receipt it cuts is printed to stdout as text. The first stdout line says where it listens.
 */
import { profileById } from '../profiles';
import { VirtualPrinterSerialEnd, VirtualPrinterTcpServer } from './endpoints';
import { renderText } from './render';
import { VirtualPrinter } from './virtual-printer';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const profileId = option('profile') ?? 'pos80-203';
const profile = profileById(profileId);
if (!profile) {
  process.stderr.write(`unknown profile ${profileId}\n`);
  process.exit(2);
}

const printer = new VirtualPrinter();
let shown = 0;
const original = printer.receive.bind(printer);
printer.receive = (chunk: Uint8Array): void => {
  original(chunk);
  while (shown < printer.receipts.length) {
    process.stdout.write(`${renderText(printer.receipts[shown]!, profile)}\n`);
    shown += 1;
  }
};

const tcp = option('tcp');
const serial = option('serial');
let stop: () => Promise<void>;
if (serial) {
  const end = new VirtualPrinterSerialEnd(printer, serial, Number(option('baud') ?? 115200));
  await end.open();
  stop = () => end.close();
  process.stdout.write(`virtual printer on ${serial} (${profile.id})\n`);
} else {
  const server = new VirtualPrinterTcpServer(printer);
  const port = await server.listen(Number(tcp ?? 9100));
  stop = () => server.close();
  process.stdout.write(`virtual printer on 127.0.0.1:${port} (${profile.id})\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stop().then(() => process.exit(0));
  });
}
