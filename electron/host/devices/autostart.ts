/**
 * Start at login: an XDG autostart entry (`~/.config/autostart/member-card-pos.desktop`) written from the
 * template the package ships (`resources/linux/member-card-pos-autostart.desktop`), with the command filled
 * in; switching the setting off removes the entry.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const AUTOSTART_FILE = 'member-card-pos.desktop';

const FALLBACK_TEMPLATE = `[Desktop Entry]
Type=Application
Name=Member Card POS
Name[zh_CN]=会员卡收银
Exec=@EXEC@ @ARGS@
Terminal=false
X-GNOME-Autostart-enabled=true
`;

export function defaultAutostartDir(): string {
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(config, 'autostart');
}

function template(): string {
  const candidates = [
    // Packaged: resources/linux next to app.asar.
    join(
      (process as { resourcesPath?: string }).resourcesPath ?? '',
      'linux',
      'member-card-pos-autostart.desktop',
    ),
    // Working tree.
    new URL('../../build/linux/member-card-pos-autostart.desktop', import.meta.url).pathname,
  ];
  for (const file of candidates) {
    if (file !== '' && existsSync(file)) return readFileSync(file, 'utf8');
  }
  return FALLBACK_TEMPLATE;
}

/** The desktop entry for this executable and arguments (arguments with spaces are quoted). */
export function autostartEntry(exec: string, args: readonly string[]): string {
  const quote = (word: string) => (/[\s"'\\]/.test(word) ? `"${word.replace(/(["\\$`])/g, '\\$1')}"` : word);
  return template()
    .replace('@EXEC@', quote(exec))
    .replace('@ARGS@', args.map(quote).join(' '))
    .replace(/ +\n/g, '\n');
}

export function setStartAtLogin(
  enabled: boolean,
  options: { dir: string; exec: string; args: readonly string[] },
): void {
  const file = join(options.dir, AUTOSTART_FILE);
  if (!enabled) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(file, autostartEntry(options.exec, options.args), { mode: 0o644 });
}
