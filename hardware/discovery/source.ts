/** The shape every discovery source returns, and the guard that turns a thrown error into a status entry. */
import type { DiscoveredDevice, DiscoverySource, SourceStatus } from './types';

export interface SourceResult<D extends DiscoveredDevice = DiscoveredDevice> {
  readonly devices: readonly D[];
  readonly status: SourceStatus;
}

export function okStatus(source: DiscoverySource, count: number): SourceStatus {
  return { source, ok: true, code: undefined, message: undefined, count };
}

export function failedStatus(
  source: DiscoverySource,
  code: string,
  message: string,
  count = 0,
): SourceStatus {
  return { source, ok: false, code, message, count };
}

/** The error's own code when it is a stable one (a DeviceError's), not an errno like ENOENT. */
export function stableCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' && /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(error.code)
    ? error.code
    : undefined;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs one source; whatever it throws becomes `{ ok: false, code }` and never fails the whole discovery. */
export async function guarded<D extends DiscoveredDevice>(
  source: DiscoverySource,
  code: string,
  run: () => Promise<SourceResult<D>>,
): Promise<SourceResult<D>> {
  try {
    return await run();
  } catch (error) {
    const stable = stableCode(error) ?? code;
    return { devices: [], status: failedStatus(source, stable, describe(error)) };
  }
}
