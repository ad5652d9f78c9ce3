/** The stand-alone virtual printer (training mode) prints what it receives over TCP as text. */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { receiptBytes } from '../../../electron/receipts/index';
import { EscPosPrinter, PROFILES, TcpTransport } from '../../../hardware/index';
import { context, models } from '../../unit/printer/fixtures';

let child: ChildProcess | null = null;
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('the virtual printer command', () => {
  it('listens on a loopback port and prints each cut receipt to stdout', async () => {
    // One node process (not npx → tsx → node), so the signal in afterAll stops the printer itself.
    const args = [
      '--import',
      'tsx',
      'hardware/printer/virtual/serve.ts',
      '--tcp',
      '0',
      '--profile',
      'pos58-203',
    ];
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const waitFor = async (pattern: RegExp): Promise<RegExpMatchArray> => {
      const start = Date.now();
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (Date.now() - start > 20_000) throw new Error(`no ${pattern} in: ${out}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const port = Number((await waitFor(/on 127\.0\.0\.1:(\d+)/))[1]);
    const printer = new EscPosPrinter(new TcpTransport({ host: '127.0.0.1', port }));
    await printer.connect();
    expect(await printer.status()).toMatchObject({ known: true, online: true });
    await printer.write(receiptBytes(models.topup, context, PROFILES['pos58-203']));
    await waitFor(/\[QR 01JD7ZK3Q8N2TOPUP0000000001\]/);
    expect(out).toContain('充值金额              ￥1,000.00');
    await printer.close();
  });
});
