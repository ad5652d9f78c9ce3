/**
 * HQ provisioning the way an admin does it (a store, a terminal, a one-time code), for tests that need an
 * enrolled terminal with a chosen id, and the service-level exchange a till makes (its own keys, its clock).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HqLink } from '../../electron/host/enrolment/link';
import { createFileKeyWrapper } from '../../electron/keystore';
import { openSecretStore, SECRET_NAMES, type SecretStore } from '../../electron/keystore/secrets';
import { enrolTerminal, PROTOCOL_VERSION, type TerminalCredentials } from '../../sync';
import type { HqService } from '../../sync/hq';
import { newBoxKeyPair, newSigningKeyPair } from '../../sync/terminal-keys';

/** A one-time code for `terminalId` in `storeId`, adding the store and the terminal at HQ when they are new. */
export async function codeFor(
  service: HqService,
  input: { terminalId: string; storeId: string; now: number; ttlMs?: number },
): Promise<string> {
  const known = (await service.stores()).some((store) => store.id === input.storeId);
  if (!known) {
    await service.saveStore({
      id: input.storeId,
      name: `Store ${input.storeId}`,
      address: '',
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
      now: input.now,
    });
  }
  const ttl = input.ttlMs === undefined ? {} : { ttlMs: input.ttlMs };
  try {
    return (await service.createEnrolmentCode({ terminalId: input.terminalId, now: input.now, ...ttl })).code;
  } catch (error) {
    if ((error as { code?: string }).code !== 'TERMINAL_NOT_FOUND') throw error;
  }
  const made = await service.createTerminal({
    storeId: input.storeId,
    name: input.terminalId,
    terminalId: input.terminalId,
    now: input.now,
    ...ttl,
  });
  return made.code;
}

/** Exchanges a code straight with the service, as a till would over HTTP: credentials to sign with. */
export async function enrolDirect(
  service: HqService,
  code: string,
  now = Date.now(),
): Promise<TerminalCredentials> {
  const signing = newSigningKeyPair();
  const answer = await service.enrol(
    {
      version: PROTOCOL_VERSION,
      code,
      publicKey: signing.publicKey,
      boxKey: newBoxKeyPair().publicKey,
      terminalTime: now,
    },
    now,
  );
  return { terminalId: answer.terminal.id, storeId: answer.store.id, key: signing.privateKey };
}

/**
 * A terminal enrolled at the HQ serving `url`, as a book keeps it: the HQ link for `host.hq` (no secret) and a
 * key store holding the signing key, to give the host as `secrets`.
 */
export async function enrolledLink(
  service: HqService,
  url: string,
  terminal: { terminalId: string; storeId: string },
): Promise<{ link: HqLink; secrets: SecretStore; credentials: TerminalCredentials }> {
  return linkFromCode(url, await codeFor(service, { ...terminal, now: Date.now() }));
}

/**
 * A till enrolled with a code someone handed it (read off HQ's console, say): the HQ link for `host.hq` and
 * the key store holding its signing key, to give the host as `secrets`.
 */
export async function linkFromCode(
  url: string,
  code: string,
): Promise<{ link: HqLink; secrets: SecretStore; credentials: TerminalCredentials }> {
  const enrolled = await enrolTerminal(url, code);
  const dir = mkdtempSync(join(tmpdir(), 'pos-secrets-'));
  const secrets = await openSecretStore({
    dir,
    wrapper: await createFileKeyWrapper(join(dir, 'wrapping.key')),
  });
  await secrets.put(SECRET_NAMES.hqSigningKey, Buffer.from(enrolled.key));
  const link: HqLink = {
    url,
    terminalId: enrolled.terminalId,
    terminalName: enrolled.answer.terminal.name,
    storeId: enrolled.storeId,
    localStoreId: enrolled.storeId,
    publicKey: enrolled.publicKey,
    cardKeyFingerprint: '',
    enrolledAt: Date.now(),
  };
  return { link, secrets, credentials: enrolled };
}
