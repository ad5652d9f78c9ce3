/**
 * Runs every check and returns the findings, worst first. A check that throws becomes an error finding
 * of its own (`CHECK_FAILED`), so one broken check never hides the others.
 */
import type { DiscoveryResult, PrinterAddress } from '../discovery/index';
import { checkAcr122 } from './acr122';
import { type Finding, failed } from './finding';
import { checkPcscd } from './pcscd';
import { type AccessCheck, checkPermissions } from './permissions';
import { checkNetworkPrinters, checkSerialPrinters, type SerialPrinterAddress } from './printer';
import { discoveryFindings } from './sources';
import { type DiagnosticRoots, SYSTEM_DIAGNOSTIC_ROOTS } from './system';

export interface DiagnosticsOptions {
  readonly roots?: Partial<DiagnosticRoots> | undefined;
  readonly pcscdSocket?: string | undefined;
  readonly pcscdBinaries?: readonly string[] | undefined;
  readonly access?: AccessCheck | undefined;
  readonly user?: string | undefined;
  /** Directory of the packaged resources (udev rules, modprobe file), named in the fixes. */
  readonly resourcesDir?: string | undefined;
  readonly networkPrinters?: readonly PrinterAddress[] | undefined;
  readonly serialPrinters?: readonly SerialPrinterAddress[] | undefined;
  readonly printerTimeoutMs?: number | undefined;
  /** A discovery result whose failed sources become findings. */
  readonly discovery?: DiscoveryResult | undefined;
  readonly now?: (() => number) | undefined;
  /** Default `process.platform`. pcscd, the pn533 driver and device-node permissions are Linux matters. */
  readonly platform?: NodeJS.Platform | undefined;
}

export interface DiagnosticsReport {
  /** UTC epoch milliseconds. */
  readonly at: number;
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

const RANK = { error: 0, warning: 1, info: 2, ok: 3 } as const;

async function safely(id: string, run: () => Promise<Finding | Finding[]>): Promise<Finding[]> {
  try {
    const result = await run();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    return [
      failed(id, 'error', 'CHECK_FAILED', 'CHECK_FAILED', {
        error: error instanceof Error ? error.message : String(error),
      }),
    ];
  }
}

export async function runDiagnostics(options: DiagnosticsOptions = {}): Promise<DiagnosticsReport> {
  const roots: DiagnosticRoots = { ...SYSTEM_DIAGNOSTIC_ROOTS, ...options.roots };
  const resources = options.resourcesDir ?? '/opt/Member Card POS/resources';
  const linux = (options.platform ?? process.platform) === 'linux';
  const linuxChecks = linux
    ? [
        safely('pcscd', () =>
          checkPcscd({ roots, socketPath: options.pcscdSocket, binaries: options.pcscdBinaries }),
        ),
        safely('acr122u-pn533', () =>
          checkAcr122({
            roots,
            shippedBlacklist: `${resources}/modprobe/member-card-pos-blacklist-pn533.conf`,
          }),
        ),
        safely('permissions', () =>
          checkPermissions({
            roots,
            access: options.access,
            user: options.user,
            shippedRules: `${resources}/udev/70-member-card-pos.rules`,
          }),
        ),
      ]
    : [];
  const groups = await Promise.all([
    ...linuxChecks,
    safely('network-printers', () =>
      checkNetworkPrinters(options.networkPrinters ?? [], options.printerTimeoutMs),
    ),
    safely('serial-printers', () =>
      checkSerialPrinters(options.serialPrinters ?? [], options.printerTimeoutMs),
    ),
    options.discovery ? discoveryFindings(options.discovery) : [],
  ]);
  const findings = groups.flat().sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return { at: (options.now ?? Date.now)(), ok: findings.every((f) => f.ok), findings };
}
