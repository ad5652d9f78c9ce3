/**
 * Start at login: switching the setting on writes an XDG autostart entry from the shipped template with this
 * terminal's command in it; switching it off removes the entry. The host does it from `devices.setSettings`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost } from '../../../electron/host/compose';
import { AUTOSTART_FILE, autostartEntry, setStartAtLogin } from '../../../electron/host/devices/autostart';
import { Session } from '../../../electron/host/session';

const dir = mkdtempSync(join(tmpdir(), 'pos-autostart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start at login', () => {
  it('fills the command into the shipped template, quoting a path with spaces', () => {
    const entry = autostartEntry('/opt/Member Card POS/member-card-pos', ['--kiosk']);
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec="/opt/Member Card POS/member-card-pos" --kiosk\n');
    expect(entry).toContain('Name[zh_CN]=会员卡收银');
    expect(entry).not.toContain('@EXEC@');
    expect(autostartEntry('/usr/bin/member-card-pos', [])).toContain('Exec=/usr/bin/member-card-pos\n');
  });

  it('writes the entry when switched on and removes it when switched off', () => {
    const options = { dir: join(dir, 'autostart'), exec: '/usr/bin/member-card-pos', args: [] };
    setStartAtLogin(true, options);
    expect(readFileSync(join(options.dir, AUTOSTART_FILE), 'utf8')).toContain(
      'Exec=/usr/bin/member-card-pos',
    );
    setStartAtLogin(false, options);
    expect(existsSync(join(options.dir, AUTOSTART_FILE))).toBe(false);
    setStartAtLogin(false, options);
  });

  it('is switched by a technician through the host, and kept with the pairing', async () => {
    const dataDir = join(dir, 'data');
    const autostart = {
      dir: join(dir, 'host-autostart'),
      exec: '/usr/bin/member-card-pos',
      args: ['--kiosk'],
    };
    let host = createHost({ book: 'demo', dataDir, autostart });
    const session = new Session('test');
    const { code, pin } = DEMO.staff.technician;
    await host.api.call(session, 'session.login', { staffNo: code, pin });
    const reply = await host.api.call(session, 'devices.setSettings', {
      startAtLogin: true,
      kioskMode: true,
    });
    expect(reply).toEqual({ ok: true, value: { startAtLogin: true, kioskMode: true } });
    expect(readFileSync(join(autostart.dir, AUTOSTART_FILE), 'utf8')).toContain(
      'Exec=/usr/bin/member-card-pos --kiosk',
    );
    await host.close();
    host = createHost({ book: 'demo', dataDir, autostart });
    expect(host.paired.settings).toEqual({ startAtLogin: true, kioskMode: true });
    await host.close();
  });
});
