/**
 * The LED pole customer display on a serial line: the host pairs it on one end of a socat pty pair at
 * 2400 baud, the test reads the other end as the display would and decodes what it shows. The counter's
 * amount while typing lights 单价, the total at the confirmation 总计, the change after cash 找零.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';
import { decodeLedStream, type LedState, SerialTransport } from '../../../hardware/index';
import { type PtyPair, startPtyPair } from '../../support/pty';

let pty: PtyPair;
let dataDir: string;
let host: Host;
/** The display's end of the line: every byte the host sent. */
let displayEnd: SerialTransport;
let received = Buffer.alloc(0);
const cashier = new Session('counter');
const technician = new Session('devices');

/** What the display shows once the bytes received so far match `expected`. */
async function shows(expected: Partial<LedState>): Promise<LedState> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const state = decodeLedStream(received);
    if (Object.entries(expected).every(([key, value]) => state[key as keyof LedState] === value))
      return state;
    if (Date.now() > deadline) throw new Error(`display shows ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  pty = await startPtyPair();
  displayEnd = new SerialTransport({ path: pty.b, baudRate: 2400 });
  await displayEnd.open();
  displayEnd.onData((chunk) => {
    received = Buffer.concat([received, Buffer.from(chunk)]);
  });
  dataDir = mkdtempSync(join(tmpdir(), 'pos-customer-display-'));
  host = createHost({ book: 'demo', dataDir });
  for (const [session, staff] of [
    [cashier, DEMO.staff.cashier],
    [technician, DEMO.staff.technician],
  ] as const) {
    const login = await host.api.call(session, 'session.login', { staffNo: staff.code, pin: staff.pin });
    if (!login.ok) throw new Error(JSON.stringify(login.error));
  }
});

afterAll(async () => {
  await host?.close();
  await displayEnd?.close();
  await pty?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('an LED customer display on a serial line', () => {
  it('is paired at 2400 baud, reset with ESC @, and lights the test total', async () => {
    const paired = await host.api.call(technician, 'display.pair', {
      led: { kind: 'serial', path: pty.a, baudRate: 2400 },
    });
    expect(paired).toMatchObject({
      ok: true,
      value: { state: 'connected', device: `serial ${pty.a} @ 2400` },
    });
    await shows({ resets: 1 });
    const tested = await host.api.call(technician, 'display.test', {});
    expect(tested).toMatchObject({ ok: true, value: { shown: { lamp: 'total', text: '8888.88' } } });
    expect(await shows({ text: '8888.88' })).toMatchObject({ lamp: 'total' });
  });

  it('shows the amount typed, the total at the confirmation and the change after cash', async () => {
    const show = (input: object) => host.api.call(cashier, 'display.show', input);
    await show({ phase: 'amount', amountFen: 1_200 });
    expect(await shows({ text: '12.00' })).toMatchObject({ lamp: 'price' });
    const total = await show({ phase: 'total', amountFen: 1_234, cardId: DEMO.cards.uid.id });
    expect(total).toMatchObject({ ok: true, value: { phase: 'total', amountFen: 1_234 } });
    expect(await shows({ text: '12.34' })).toMatchObject({ lamp: 'total' });
    // The bytes on the line are the pole display's commands, exactly.
    expect(received.includes(Buffer.from('1b73321b514131322e33340d', 'hex'))).toBe(true);
    await show({ phase: 'paid', amountFen: 5_000 });
    expect(await shows({ text: '50.00' })).toMatchObject({ lamp: 'paid' });
    await show({ phase: 'change', amountFen: 5_000, changeFen: 3_766 });
    expect(await shows({ text: '37.66' })).toMatchObject({ lamp: 'change' });
    await show({ phase: 'idle' });
    expect(await shows({ text: '' })).toMatchObject({ lamp: 'none' });
  });
});
