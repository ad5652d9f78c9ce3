/**
 * Temporary stand-ins for /dev, /sys, /proc and /etc: plain files and symlinks laid out as the kernel
 * lays them out, so discovery and diagnostics read them with their real file-system code.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FakeTree {
  readonly root: string;
  readonly dev: string;
  readonly sys: string;
  readonly proc: string;
  readonly etc: string;
  /** Writes a file (parents created) under the tree root. */
  file(path: string, content?: string): string;
  /** Makes a symlink at `path` pointing at `target` (written as given, usually relative). */
  link(path: string, target: string): string;
  /** A USB device directory in sysfs with its ids, as /sys/devices/.../<name>. */
  usbDevice(name: string, vendor: string, product: string, extra?: Record<string, string>): string;
  remove(): void;
}

export function fakeTree(): FakeTree {
  const root = mkdtempSync(join(tmpdir(), 'devices-tree-'));
  const tree: FakeTree = {
    root,
    dev: join(root, 'dev'),
    sys: join(root, 'sys'),
    proc: join(root, 'proc'),
    etc: join(root, 'etc'),
    file(path, content = '') {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    link(path, target) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      symlinkSync(target, full);
      return full;
    },
    usbDevice(name, vendor, product, extra = {}) {
      const dir = `sys/devices/pci0000:00/0000:00:14.0/usb1/${name}`;
      tree.file(`${dir}/idVendor`, `${vendor}\n`);
      tree.file(`${dir}/idProduct`, `${product}\n`);
      for (const [key, value] of Object.entries(extra)) tree.file(`${dir}/${key}`, `${value}\n`);
      return dir;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (const dir of ['dev', 'sys', 'proc', 'etc']) mkdirSync(join(root, dir), { recursive: true });
  return tree;
}
