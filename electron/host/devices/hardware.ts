/**
 * The store's real devices: PC/SC readers through the system's pcscd, and vendor-mode HID swipers (MagTek,
 * ID TECH) found at start-up. Swipers the OS owns as a keyboard are left to the renderer's wedge. A device
 * that is missing or fails to open is reported as a status, never as a start-up failure: the counter still
 * runs on the simulator and on typed card numbers.
 */
import {
  findSwipers,
  IDTECH_VENDOR_ID,
  MAGTEK_VENDOR_ID,
  nodeHidBackend,
  PcscliteTransport,
  ReaderManager,
  Swiper,
} from '../../../hardware/index';
import type { CardSecurity } from '../card-security';
import type { DeviceHub } from '../hub';
import type { Logger } from '../logger';
import type { CardWriter } from './card-writer';
import type { PurseMirror } from './purse';
import { joinReaders } from './readers';
import { joinSwiper } from './swipers';

export const PCSC_SERVICE = 'PC/SC';

export interface HardwareOptions {
  /** The chain's card keys and secured format; without them cards are read by UID only. */
  security?: CardSecurity;
  /** Cards the store registered by UID (read by UID even with the chain's keys configured). */
  registeredUid?: (uid: string) => boolean;
  /** Follows the secured cards on the readers, for the on-card purse. */
  purse?: PurseMirror;
  /** Writes new cards in the chain's secured format on the reader they were tapped on. */
  cardWriter?: CardWriter;
  /** Which readers to join (a reader paired on the Devices screen is driven by the pairing instead). */
  acceptReader?: (reader: string) => boolean;
  /** Join the vendor-mode swipers found (false when a swiper is paired). Default true. */
  swipers?: boolean;
}

export function joinHardware(
  hub: DeviceHub,
  logger: Logger,
  options: HardwareOptions = {},
): () => Promise<void> {
  const stops: (() => Promise<void> | void)[] = [];

  try {
    const { security } = options;
    const readers = new ReaderManager({
      transport: new PcscliteTransport(),
      ...(security === undefined ? {} : { secured: { keys: security.keys, sector: security.sector } }),
      ...(options.registeredUid === undefined ? {} : { registeredUid: options.registeredUid }),
      ...(options.acceptReader === undefined ? {} : { acceptReader: options.acceptReader }),
    });
    const detach = joinReaders(readers, hub, logger, { source: 'reader', transportName: PCSC_SERVICE });
    const detachPurse = options.purse?.attach(readers, 'reader') ?? (() => {});
    const detachWriter = options.cardWriter?.attach(readers) ?? (() => {});
    readers.start();
    stops.push(detach, detachPurse, detachWriter, () => readers.stop());
  } catch (error) {
    logger.warn({ err: error }, 'PC/SC readers unavailable');
    hub.emit('device.status', {
      device: PCSC_SERVICE,
      kind: 'reader',
      state: 'error',
      detail: 'unavailable',
    });
  }

  try {
    for (const info of options.swipers === false ? [] : findSwipers(nodeHidBackend)) {
      const id = `${info.product ?? 'Swiper'} ${info.serialNumber ?? info.path ?? ''}`.trim();
      const swiper = new Swiper({
        id,
        selector: {
          vendorId: info.vendorId,
          productId: info.productId,
          ...(info.serialNumber ? { serialNumber: info.serialNumber } : { path: info.path }),
        },
        mode:
          info.vendorId === MAGTEK_VENDOR_ID
            ? 'magtek'
            : info.vendorId === IDTECH_VENDOR_ID
              ? 'idtech'
              : 'keyboard',
        logger,
      });
      const detach = joinSwiper(swiper, hub, { source: 'swiper' });
      swiper.start();
      stops.push(detach, () => swiper.stop());
    }
  } catch (error) {
    logger.warn({ err: error }, 'HID swipers could not be listed');
  }

  return async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
}
