/**
 * Discovery sources that could not be read, as findings: the device list then says why a whole class of
 * devices is missing (udevadm absent, the HID or PC/SC library not loadable). "pcscd not running" is left to
 * the pcscd check, which tells apart not installed, not running and a stale socket.
 */
import type { DiscoveryResult } from '../discovery/index';
import { type Finding, failed } from './finding';

const FIX_BY_CODE: Readonly<Record<string, string>> = {
  SERIAL_LIST_FAILED: 'INSTALL_UDEV',
  HID_UNAVAILABLE: 'INSTALL_HID_LIBRARIES',
  HID_ENUMERATION_FAILED: 'INSTALL_HID_LIBRARIES',
  PCSC_UNAVAILABLE: 'INSTALL_PCSC_LIBRARY',
};

export function discoveryFindings(result: DiscoveryResult): Finding[] {
  return result.sources
    .filter((source) => !source.ok && source.code !== 'PCSCD_NOT_RUNNING')
    .map((source) =>
      failed(
        `discovery:${source.source}`,
        'warning',
        'DISCOVERY_SOURCE_FAILED',
        FIX_BY_CODE[source.code ?? ''] ?? 'CHECK_FAILED',
        { source: source.source, code: source.code ?? '', error: source.message ?? '' },
      ),
    );
}
