import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../../db';
import type { ApiError } from '../../../electron/errors';
import { openFileKeystore, openKeystore } from '../../../electron/keystore';
import { createSafeStorageWrapper, type SafeStorageApi } from '../../../electron/keystore/safe-storage';

const root = mkdtempSync(join(tmpdir(), 'pos-keystore-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const dataDir = () => join(root, `data-${counter++}`);

async function refusal(fn: () => unknown): Promise<ApiError> {
  try {
    await fn();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a refusal');
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('browser-mode keystore (wrapping key in a 0600 file)', () => {
  it('creates a data key on first start, in files only this user may read', async () => {
    const dir = dataDir();
    const keystore = await openFileKeystore(dir);
    const keyring = keystore.keyring();
    expect(keyring.currentId).toBe('k1');
    expect(keyring.key('k1')).toHaveLength(32);
    expect(mode(join(dir, 'keys', 'wrapping.key'))).toBe(0o600);
    expect(mode(join(dir, 'keys', 'data-keys.json'))).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    // Only the wrapped form is stored.
    const stored = readFileSync(join(dir, 'keys', 'data-keys.json'), 'utf8');
    expect(stored).not.toContain(Buffer.from(keyring.key('k1')!).toString('base64'));
    expect(JSON.parse(stored)).toMatchObject({ version: 1, wrapper: 'file', current: 'k1' });
  });

  it('gives the same key on the next start, so yesterday’s phone numbers still decrypt', async () => {
    const dir = dataDir();
    const binding = { field: 'phone', memberId: 'member-1' };
    const envelope = createFieldCipher((await openFileKeystore(dir)).keyring()).encrypt(
      binding,
      '13800000001',
    );
    const again = (await openFileKeystore(dir)).keyring();
    expect(createFieldCipher(again).decrypt(binding, envelope)).toBe('13800000001');
  });

  it('refuses a key file that group or others may read, naming the file and the fix', async () => {
    for (const name of ['wrapping.key', 'data-keys.json']) {
      const dir = dataDir();
      await openFileKeystore(dir);
      const path = join(dir, 'keys', name);
      const before = readFileSync(path);
      chmodSync(path, 0o644);
      const error = await refusal(() => openFileKeystore(dir));
      expect(error.code).toBe('KEYSTORE_FILE_EXPOSED');
      expect(error.message).toContain(path);
      expect(error.message).toContain('chmod 600');
      expect(error.details).toMatchObject({ mode: '0644', required: '0600' });
      // Refused, not repaired or rewritten behind the technician's back.
      expect(mode(path)).toBe(0o644);
      expect(readFileSync(path).equals(before)).toBe(true);
    }
  });

  it('refuses to unwrap with a different wrapping key (a keystore copied from another terminal)', async () => {
    const dir = dataDir();
    await openFileKeystore(dir);
    const path = join(dir, 'keys', 'wrapping.key');
    writeFileSync(path, Buffer.alloc(32, 7), { mode: 0o600 });
    expect((await refusal(() => openFileKeystore(dir))).code).toBe('KEYSTORE_UNWRAP_FAILED');
  });

  it('refuses a damaged keystore file or wrapping key with KEYSTORE_FILE_INVALID', async () => {
    const dir = dataDir();
    await openFileKeystore(dir);
    writeFileSync(join(dir, 'keys', 'data-keys.json'), '{"version":1,', { mode: 0o600 });
    expect((await refusal(() => openFileKeystore(dir))).code).toBe('KEYSTORE_FILE_INVALID');
    const other = dataDir();
    await openFileKeystore(other);
    writeFileSync(join(other, 'keys', 'wrapping.key'), Buffer.alloc(5), { mode: 0o600 });
    expect((await refusal(() => openFileKeystore(other))).code).toBe('KEYSTORE_FILE_INVALID');
  });

  it('rotates: the new key becomes current, the old one stays readable, and both survive a restart', async () => {
    const dir = dataDir();
    const keystore = await openFileKeystore(dir);
    const binding = { field: 'id_number', memberId: 'member-9' };
    const old = createFieldCipher(keystore.keyring()).encrypt(binding, '11010519491231002X');
    expect(await keystore.rotate()).toBe('k2');
    const reopened = (await openFileKeystore(dir)).keyring();
    expect(reopened.currentId).toBe('k2');
    expect(reopened.ids).toEqual(['k1', 'k2']);
    const cipher = createFieldCipher(reopened);
    expect(cipher.decrypt(binding, old)).toBe('11010519491231002X');
    expect(cipher.keyIdOf(cipher.rotate(binding, old))).toBe('k2');
    expect(readdirSync(join(dir, 'keys')).sort()).toEqual(['data-keys.json', 'wrapping.key']);
  });
});

/**
 * Electron's safeStorage cannot run here (no Electron binary), so these use a stand-in with the same
 * four methods; what is tested is the policy around it, not the OS key store.
 */
function safeStorageStandIn(
  backend: ReturnType<SafeStorageApi['getSelectedStorageBackend']>,
  available = true,
) {
  const secret = 0x5c;
  const api: SafeStorageApi = {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ secret)),
    decryptString: (data) => {
      if (data.length === 0)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(data.map((byte) => byte ^ secret)).toString('utf8');
    },
  };
  return api;
}

describe('desktop keystore (Electron safeStorage)', () => {
  it('refuses to start on Linux when the backend is basic_text', async () => {
    const error = await refusal(() =>
      createSafeStorageWrapper(safeStorageStandIn('basic_text'), { platform: 'linux' }),
    );
    expect(error.code).toBe('KEYSTORE_BACKEND_INSECURE');
    expect(error.message).toMatch(/basic_text/);
    expect(error.details).toMatchObject({ backend: 'basic_text' });
  });

  it('starts with a loud warning on basic_text when the store has chosen to accept it', async () => {
    const warnings: string[] = [];
    const wrapper = createSafeStorageWrapper(safeStorageStandIn('basic_text'), {
      platform: 'linux',
      insecureBackend: 'warn',
      warn: (message) => warnings.push(message),
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/basic_text/);
    const dir = dataDir();
    const keystore = await openKeystore({ dir, wrapper });
    expect(keystore.keyring().key('k1')).toHaveLength(32);
  });

  it('refuses when the key store is unavailable, or asked before the app is ready', async () => {
    expect(
      (await refusal(() => createSafeStorageWrapper(safeStorageStandIn('gnome_libsecret', false)))).code,
    ).toBe('KEYSTORE_UNAVAILABLE');
    expect(
      (
        await refusal(() =>
          createSafeStorageWrapper(safeStorageStandIn('unknown'), {
            platform: 'linux',
            insecureBackend: 'warn',
          }),
        )
      ).code,
    ).toBe('KEYSTORE_BACKEND_INSECURE');
  });

  it('wraps with a real backend and reopens the same key; a keystore never unwraps with the other kind', async () => {
    const wrapper = createSafeStorageWrapper(safeStorageStandIn('gnome_libsecret'), { platform: 'linux' });
    const dir = dataDir();
    const first = (await openKeystore({ dir, wrapper })).keyring();
    const second = (await openKeystore({ dir, wrapper })).keyring();
    expect(Buffer.from(second.key('k1')!).equals(Buffer.from(first.key('k1')!))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'data-keys.json'), 'utf8')).wrapper).toBe('safeStorage');
    const macWrapper = createSafeStorageWrapper(safeStorageStandIn('basic_text'), { platform: 'darwin' });
    expect(macWrapper.kind).toBe('safeStorage');
    const fileDir = dataDir();
    await openFileKeystore(fileDir);
    const error = await refusal(() => openKeystore({ dir: join(fileDir, 'keys'), wrapper }));
    expect(error.code).toBe('KEYSTORE_UNWRAP_FAILED');
  });

  it('keeps `electron` out of everything the Node host loads', () => {
    const folder = join(import.meta.dirname, '../../../electron/keystore');
    for (const name of readdirSync(folder)) {
      const source = readFileSync(join(folder, name), 'utf8');
      if (name === 'safe-storage.ts') {
        // Only a type import at the top; the module itself is loaded inside a function.
        expect(source).toMatch(/^import type \{ SafeStorage \} from 'electron';$/m);
        expect(source).not.toMatch(/^import \{[^}]*\} from 'electron'/m);
        expect(source).toContain("await import('electron')");
      } else {
        expect(source, name).not.toMatch(/from 'electron'|import\('electron'\)|from '\.\/safe-storage'/);
      }
    }
  });
});
