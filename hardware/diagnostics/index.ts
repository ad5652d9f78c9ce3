/** Diagnostics: checks with their fixes in plain words, and the support bundle. */
export type { Acr122CheckOptions } from './acr122';
export { checkAcr122 } from './acr122';
export type { BundleOptions, BundleResult, Versions } from './bundle';
export { collectVersions, tailLines, writeDiagnosticsBundle } from './bundle';
export type { Finding, Severity } from './finding';
export type { Language } from './messages';
export { describeFinding, FIXES, PROBLEMS } from './messages';
export {
  PCSCD_BINARIES,
  PCSCD_SOCKET,
  PN533_BLACKLIST_FILE,
  pcscdSocketPath,
  UDEV_RULES_FILE,
  UDEV_RULES_RESOURCE,
} from './paths';
export type { PcscdCheckOptions } from './pcscd';
export { checkPcscd } from './pcscd';
export type { AccessCheck, PermissionCheckOptions } from './permissions';
export { checkPermissions } from './permissions';
export type { PrinterProbe, PrinterProbeState, SerialPrinterAddress } from './printer';
export {
  checkNetworkPrinters,
  checkSerialPrinters,
  printerFinding,
  probeFromNetwork,
  probeSerialPrinter,
} from './printer';
export { MASK, redactLine, redactText } from './redact';
export type { DiagnosticsOptions, DiagnosticsReport } from './run';
export { runDiagnostics } from './run';
export { discoveryFindings } from './sources';
export type { DiagnosticRoots } from './system';
export { SYSTEM_DIAGNOSTIC_ROOTS } from './system';
export type { TarEntry } from './tar';
export { tarGz } from './tar';
