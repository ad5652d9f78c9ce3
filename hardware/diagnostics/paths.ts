/** Where the package puts what the fixes refer to (see electron-builder.yml and electron/build/). */

/** The udev rules file the deb installs. */
export const UDEV_RULES_FILE = '/lib/udev/rules.d/70-member-card-pos.rules';
/** The copy shipped with the app's resources, for an AppImage install that has no package manager. */
export const UDEV_RULES_RESOURCE = 'udev/70-member-card-pos.rules';
/** The modprobe file that keeps the kernel NFC driver off an ACR122U. */
export const PN533_BLACKLIST_FILE = '/etc/modprobe.d/member-card-pos-blacklist-pn533.conf';
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';

/**
 * The socket the PC/SC client really talks to: libpcsclite takes `PCSCLITE_CSOCK_NAME` from the environment
 * before its built-in default, so the check looks where the readers are looked for.
 */
export function pcscdSocketPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const named = env.PCSCLITE_CSOCK_NAME;
  return named !== undefined && named !== '' ? named : PCSCD_SOCKET;
}
export const PCSCD_BINARIES: readonly string[] = [
  '/usr/sbin/pcscd',
  '/usr/bin/pcscd',
  '/usr/local/sbin/pcscd',
];
