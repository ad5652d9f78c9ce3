/**
 * Files only this user may read: created 0600 with O_EXCL, replaced atomically, and refused on read when
 * their mode lets group or others in. We run as root in some installs, where modes do not stop reads;
 * refusing a loose file still catches a copied or mis-restored key file before it is trusted.
 */
import { constants } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ApiError } from '../errors';

export const PRIVATE_FILE_MODE = 0o600;

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Reads a private file, or undefined when it does not exist; refuses one with a loose mode or another owner. */
export async function readPrivateFile(path: string): Promise<Buffer | undefined> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cause;
  }
  if ((info.mode & 0o077) !== 0) {
    throw new ApiError(
      'KEYSTORE_FILE_EXPOSED',
      `${path} has mode ${octal(info.mode)}; key files must be ${octal(PRIVATE_FILE_MODE)} (run: chmod 600 ${path})`,
      { details: { path, mode: octal(info.mode), required: octal(PRIVATE_FILE_MODE) } },
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new ApiError(
      'KEYSTORE_FILE_OWNER_WRONG',
      `${path} belongs to user ${info.uid}, not to this user (${uid})`,
      {
        details: { path, owner: info.uid, user: uid },
      },
    );
  }
  return readFile(path);
}

/** Writes a private file atomically (temporary 0600 file, fsync, rename), creating its folder 0700. */
export async function writePrivateFile(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  const handle = await open(
    temporary,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    PRIVATE_FILE_MODE,
  );
  try {
    await handle.writeFile(data);
    // The umask cannot widen a mode, but an inherited ACL default could; set it explicitly.
    await chmod(temporary, PRIVATE_FILE_MODE);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
