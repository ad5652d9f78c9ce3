/**
 * What reaches the host's log file: PINs, passwords, track data, keys, phone and ID numbers, recovery codes
 * and error details are replaced by `[redacted]` wherever a caller put them (top level, in an input, in an
 * error), and the rest of the line stays readable.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { createHost } from '../../../electron/host/compose';
import { openLog } from '../../../electron/host/logger';
import { Session } from '../../../electron/host/session';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-redact-'));
  dirs.push(dir);
  return dir;
}

const SECRETS = {
  pin: '864209',
  password: '975310',
  tracks: ';4111111111111111=2512101?',
  key: 'c2VjcmV0LWtleS1ieXRlcw==',
  phone: '13912345678',
  idNumber: '110101199003071234',
  recoveryCode: 'ABCD-EFGH-JKMN-PQRS-TVWX',
};

describe('the host log', () => {
  it('redacts secrets at the top level, in a command input and in an error', () => {
    const dir = tempDir();
    const log = openLog(dir);
    log.logger.info({ ...SECRETS, command: 'session.login' }, 'top level');
    log.logger.info(
      { command: 'members.register', input: { name: '张三', phone: SECRETS.phone } },
      'an input',
    );
    log.logger.info({ input: { approver: { staffNo: '2001', pin: SECRETS.pin } } }, 'two levels down');
    const error = Object.assign(new Error('refused'), { details: { typed: SECRETS.pin } });
    log.logger.error({ command: 'wallet.void', err: error }, 'command failed');
    log.close();

    const text = readFileSync(log.file, 'utf8');
    for (const [name, value] of Object.entries(SECRETS)) expect(text, name).not.toContain(value);
    expect(text).toContain('[redacted]');
    expect(text).toContain('members.register');
    expect(text).toContain('"staffNo":"2001"');
  });

  it('never gets a typed PIN or staff number from a refused login or approval', async () => {
    const dataDir = tempDir();
    const host = createHost({ book: 'demo', dataDir });
    const session = new Session('test');
    await host.api.call(session, 'session.login', { staffNo: '86420975', pin: SECRETS.pin });
    await host.api.call(session, 'session.login', { staffNo: DEMO.staff.cashier.code, pin: SECRETS.pin });
    await host.api.call(session, 'staff.unlockWithApprover', {
      staffNo: '86420975',
      approver: { staffNo: DEMO.staff.manager.code, pin: SECRETS.pin },
    });
    await host.close();
    const text = readFileSync(join(dataDir, 'logs', 'host.log'), 'utf8');
    expect(text).toContain('command refused');
    expect(text).not.toContain(SECRETS.pin);
    expect(text).not.toContain('86420975');
  });
});
