/**
 * PC/SC benchmarks, through the real pcscd with the vpcd driver and the project's virtual cards:
 * - tap_median_ms / tap_p99_ms: card put on the reader → `card.presented` for a secured MIFARE Classic card
 *   with the member resolved by a lookup callback; baseline: a bare pcsclite client on the other vpcd reader,
 *   status change → connect → `FF CA` answered, for the same cards in the same rounds.
 * - tap_overhead_ratio: the two medians, project ÷ bare (goal ≤ 1.5).
 * - secured_read_apdus: APDUs the card receives for one secured read, UID included (goal ≤ 8).
 * - secured_read_ms: with the card left on the reader, connect + secured read; baseline connect + FF CA.
 * Both paths wait for pcscd's presence polling (400 ms). Each APDU through vpcd costs ~44 ms (vpcd sends
 * length and body in two TCP segments, so Nagle waits for a delayed ACK); USB readers answer faster, so the
 * ratio here is a pessimistic figure for the 3 extra APDUs a secured read needs.
 */
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CardPresented,
  fromHex,
  issueSecuredClassic,
  PcscliteTransport,
  ReaderManager,
  readSecuredClassic,
  VirtualClassicCard,
  VpcdCardSlot,
} from '../../hardware/index';
import { startPcscd } from '../support/pcscd';
import { type Emit, median, progress, quantile, since } from './harness';

const TAPS = Number(process.env.PCSC_BENCH_TAPS ?? 200);
const READS = 50;
const PROJECT_READER = 'Virtual PCD 00 00';
const BARE_READER = 'Virtual PCD 00 01';
const keys = {
  chainId: 1,
  masterKey: fromHex('000102030405060708090A0B0C0D0E0F'),
  chainSecret: fromHex('F0E0D0C0B0A090807060504030201000'),
};

type NativeReader = {
  name: string;
  SCARD_STATE_PRESENT: number;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_LEAVE_CARD: number;
  on(event: string, listener: (...args: never[]) => void): void;
  connect(options: object, cb: (error: unknown, protocol: number) => void): void;
  transmit(data: Buffer, length: number, protocol: number, cb: (error: unknown, data: Buffer) => void): void;
  disconnect(disposition: number, cb: (error: unknown) => void): void;
};

async function issuedCards(count: number): Promise<VirtualClassicCard[]> {
  const cards: VirtualClassicCard[] = [];
  for (let index = 0; index < count; index += 1) {
    const card = new VirtualClassicCard(
      'mifare-classic-1k',
      fromHex(`0A0B0C${index.toString(16).padStart(2, '0')}`),
    );
    await issueSecuredClassic(
      { transmit: async (apdu) => card.process(Buffer.from(apdu)) },
      { keys, sector: 1, cardNumber: `88000000${index}` },
    );
    cards.push(card);
  }
  return cards;
}

/** A bare pcsclite client on one reader: resolves each card's UID as soon as pcscd reports it. */
function bareClient(): Promise<{
  nextUid: () => Promise<Buffer>;
  nextRemoval: () => Promise<void>;
  close: () => void;
}> {
  const pcsc = createRequire(import.meta.url)('pcsclite') as () => {
    on(event: 'reader', listener: (reader: NativeReader) => void): void;
    on(event: 'error', listener: (error: unknown) => void): void;
    close(): void;
  };
  const context = pcsc();
  // close() cancels the context's status wait, which pcsclite reports as an error event.
  context.on('error', () => undefined);
  return new Promise((resolve) => {
    context.on('reader', (reader) => {
      reader.on('error', () => undefined);
      if (reader.name !== BARE_READER) return;
      let onUid: ((uid: Buffer) => void) | undefined;
      let onRemoval: (() => void) | undefined;
      let present = false;
      reader.on('status', ((status: { state: number }) => {
        const nowPresent = (status.state & reader.SCARD_STATE_PRESENT) !== 0;
        if (nowPresent && !present) {
          reader.connect(
            {
              share_mode: reader.SCARD_SHARE_SHARED,
              protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1,
            },
            (error, protocol) => {
              if (error) throw error;
              reader.transmit(fromHex('FFCA000000'), 12, protocol, (failure, uid) => {
                if (failure) throw failure;
                onUid?.(uid);
                reader.disconnect(reader.SCARD_LEAVE_CARD, () => undefined);
              });
            },
          );
        } else if (!nowPresent && present) {
          onRemoval?.();
        }
        present = nowPresent;
      }) as never);
      resolve({
        nextUid: () => new Promise((done) => (onUid = done)),
        nextRemoval: () => new Promise((done) => (onRemoval = done)),
        close: () => context.close(),
      });
    });
  });
}

export default async function pcscBench(emit: Emit): Promise<void> {
  const registeredUids = new Set(['04A1B2C3D4E5F6']);
  const pcscd = await startPcscd();
  const projectSlot = new VpcdCardSlot({ slot: 0 });
  const bareSlot = new VpcdCardSlot({ slot: 1 });
  const manager = new ReaderManager({
    transport: new PcscliteTransport(),
    secured: { keys, sector: 1 },
    acceptReader: (reader) => reader === PROJECT_READER,
    // As the host does: a card the store registered by UID is read by UID (none of these cards is).
    registeredUid: (uid) => registeredUids.has(uid),
  });
  const bare = await bareClient();
  try {
    const cards = await issuedCards(4);
    const members = new Map(
      cards.map((card, index) => [`88000000${index}`, { memberId: `M${index}`, uid: card.uid }]),
    );
    const lookup = async (event: CardPresented) =>
      event.cardNumber ? members.get(event.cardNumber) : undefined;
    const ready = new Promise((resolve) => manager.once('reader.added', resolve));
    manager.start();
    await ready;

    const projectTap = async (card: VirtualClassicCard): Promise<number> => {
      const resolved = new Promise<unknown>((resolve) =>
        manager.once('card.presented', (event) => resolve(lookup(event))),
      );
      const start = process.hrtime.bigint();
      await projectSlot.insert(card);
      const member = await resolved;
      const elapsed = since(start);
      if (!member) throw new Error('member not resolved');
      const removed = new Promise((resolve) => manager.once('card.removed', resolve));
      projectSlot.remove();
      await removed;
      return elapsed;
    };
    const bareTap = async (card: VirtualClassicCard): Promise<number> => {
      const uid = bare.nextUid();
      const start = process.hrtime.bigint();
      await bareSlot.insert(card);
      await uid;
      const elapsed = since(start);
      const removed = bare.nextRemoval();
      bareSlot.remove();
      await removed;
      return elapsed;
    };

    // APDUs one secured read costs, counted at the card.
    const before = projectSlot.commands;
    await projectTap(cards[0]!);
    const securedReadApdus = projectSlot.commands - before;

    const project: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < TAPS; round += 1) {
      // Alternating, never together: pcscd serialises calls into the vpcd driver across its slots. Each tap
      // starts at a random point of pcscd's 400 ms polling cycle, as a cashier's does; otherwise the fixed
      // phase between the two readers' polling threads would favour one side.
      const card = cards[round % cards.length]!;
      await sleep(Math.random() * 400);
      project.push(await projectTap(card));
      await sleep(Math.random() * 400);
      baseline.push(await bareTap(card));
      if ((round + 1) % 50 === 0) progress(`pcsc: ${round + 1}/${TAPS} taps`);
    }

    const projectMedian = median(project);
    const bareMedian = median(baseline);
    const ratio = projectMedian / bareMedian;
    emit({ metric: 'tap_median_ms', value: projectMedian, unit: 'ms', baseline: bareMedian, ratio });
    emit({ metric: 'tap_overhead_ratio', value: ratio, unit: 'ratio', goal: '<= 1.5' });
    const projectP99 = quantile(project, 0.99);
    const bareP99 = quantile(baseline, 0.99);
    emit({
      metric: 'tap_p99_ms',
      value: projectP99,
      unit: 'ms',
      baseline: bareP99,
      ratio: projectP99 / bareP99,
    });
    emit({ metric: 'secured_read_apdus', value: securedReadApdus, unit: 'apdus', goal: '<= 8' });

    // The read alone, card left on the reader: connect + secured read + disconnect, beside connect + FF CA.
    const present = new Promise((resolve) => manager.once('card.presented', resolve));
    await projectSlot.insert(cards[0]!);
    await present;
    const securedReads: number[] = [];
    const uidReads: number[] = [];
    for (let index = 0; index < READS; index += 1) {
      let start = process.hrtime.bigint();
      await manager.withCard(PROJECT_READER, (session) => readSecuredClassic(session, { keys, sector: 1 }));
      securedReads.push(since(start));
      start = process.hrtime.bigint();
      await manager.withCard(PROJECT_READER, (session) => session.transmit(fromHex('FFCA000000')));
      uidReads.push(since(start));
    }
    projectSlot.remove();
    const securedMedian = median(securedReads);
    const uidMedian = median(uidReads);
    emit({
      metric: 'secured_read_ms',
      value: securedMedian,
      unit: 'ms',
      baseline: uidMedian,
      ratio: securedMedian / uidMedian,
    });
  } finally {
    await manager.stop();
    bare.close();
    await projectSlot.close();
    await bareSlot.close();
    await pcscd.stop();
  }
}
