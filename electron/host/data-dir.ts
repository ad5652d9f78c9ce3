import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `POS_DATA_DIR`, else the XDG data home, else `~/.local/share/member-card-pos`. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.POS_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'member-card-pos');
  mkdirSync(dir, { recursive: true });
  return dir;
}
