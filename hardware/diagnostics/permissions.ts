/**
 * Can this process open the device nodes the terminal drives? Checks read+write access (`fs.access`, which
 * answers for the real user and groups of the process) on:
 * - `/dev/hidraw*` of known swiper vendors (MagTek, ID TECH in vendor HID mode), which have no group by
 *   default and need the shipped udev rule (plugdev, or uaccess for the seated user);
 * - `/dev/ttyUSB*` and `/dev/ttyACM*` (group dialout);
 * - `/dev/usb/lp*` (group lp).
 * The fix says "join the group" when the node already has the right group, and "install the udev rules"
 * otherwise.
 */
import { constants } from 'node:fs';
import { access as fsAccess, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { knownDevice, usbIdsOfClassDevice } from '../discovery/index';
import { type Finding, failed, passed } from './finding';
import { UDEV_RULES_FILE } from './paths';
import { type DiagnosticRoots, groupName, listDir } from './system';

export type AccessCheck = (path: string, mode: number) => Promise<void>;

export interface PermissionCheckOptions {
  readonly roots: DiagnosticRoots;
  /** Default `fs.promises.access`. */
  readonly access?: AccessCheck | undefined;
  /** The account named in the fix; default the user running the app. */
  readonly user?: string | undefined;
  /** Where the packaged copy of the udev rules sits (offered to copy). */
  readonly shippedRules?: string | undefined;
  /** hidraw nodes to check whatever their vendor (paired swipers). */
  readonly extraHidraw?: readonly string[] | undefined;
}

interface Node {
  readonly path: string;
  readonly device: string;
  /** The group the shipped rules and Debian's defaults give this kind of node. */
  readonly group: 'plugdev' | 'dialout' | 'lp';
}

async function nodesToCheck(options: PermissionCheckOptions): Promise<Node[]> {
  const { roots } = options;
  const nodes: Node[] = [];
  const extra = new Set(options.extraHidraw ?? []);
  for (const name of (await listDir(roots.dev)).sort()) {
    const path = join(roots.dev, name);
    if (/^hidraw\d+$/.test(name)) {
      const ids = await usbIdsOfClassDevice(roots.sys, 'hidraw', name);
      const known = knownDevice(ids?.vendorId, ids?.productId);
      if (known?.role === 'swiper' || extra.has(path)) {
        nodes.push({ path, device: known ? `${known.vendor} swiper` : 'HID device', group: 'plugdev' });
      }
    } else if (/^ttyUSB\d+$/.test(name)) {
      nodes.push({ path, device: 'USB serial port', group: 'dialout' });
    } else if (/^ttyACM\d+$/.test(name)) {
      nodes.push({ path, device: 'USB modem-class serial port', group: 'dialout' });
    }
  }
  for (const name of (await listDir(join(roots.dev, 'usb'))).sort()) {
    if (/^lp\d+$/.test(name))
      nodes.push({ path: join(roots.dev, 'usb', name), device: 'USB printer', group: 'lp' });
  }
  return nodes;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '$USER';
  }
}

export async function checkPermissions(options: PermissionCheckOptions): Promise<Finding[]> {
  const access = options.access ?? fsAccess;
  const user = options.user ?? currentUser();
  const nodes = await nodesToCheck(options);
  const findings: Finding[] = [];
  for (const node of nodes) {
    try {
      await access(node.path, constants.R_OK | constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM') continue; // unplugged between listing and checking
      let group = 'root';
      try {
        group = await groupName(options.roots.etc, (await stat(node.path)).gid);
      } catch {
        // the node vanished; keep the default wording
      }
      const params = {
        path: node.path,
        device: node.device,
        group,
        needs: node.group,
        user,
        rules: UDEV_RULES_FILE,
        shipped: options.shippedRules ?? '/opt/Member Card POS/resources/udev/70-member-card-pos.rules',
      };
      const fix = group === node.group ? 'JOIN_GROUP' : 'INSTALL_UDEV_RULES';
      findings.push(failed(`permission:${node.path}`, 'error', 'PERMISSION_DENIED', fix, params));
    }
  }
  if (findings.length === 0) findings.push(passed('permissions', { checked: String(nodes.length) }));
  return findings;
}
