import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, signRequest } from '../../../sync';
import { type RunningHqServer, startHqServer } from '../../../sync/hq';
import { newBoxKeyPair, newSigningKeyPair } from '../../../sync/terminal-keys';
import { codeFor } from '../../support/hq-enrolment';
import { type HqUnderTest, openHq } from './fixtures';

const run = promisify(execFile);

function post(url: string, path: string, body: string, ca: Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const req = request(
      new URL(path, url),
      { method: 'POST', ca, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += String(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('HQ over HTTPS', () => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  let dir: string;
  let cert: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-tls-'));
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    cert = readFileSync(join(dir, 'cert.pem'));
    hq = await openHq('postgres');
    server = await startHqServer({
      service: hq.service,
      tls: { key: readFileSync(join(dir, 'key.pem')), cert },
    });
  });

  afterAll(async () => {
    await server?.close();
    await hq?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to serve plain HTTP beyond loopback', async () => {
    await expect(startHqServer({ service: hq.service, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'LISTEN_ADDRESS_INSECURE',
    });
  });

  it('enrols a terminal and takes a signed push over TLS', async () => {
    expect(server.url.startsWith('https://127.0.0.1:')).toBe(true);
    const code = await codeFor(hq.service, { terminalId: 'TLS1', storeId: 'S1', now: Date.now() });
    const signing = newSigningKeyPair();
    const enrol = await post(
      server.url,
      '/v1/enrol',
      JSON.stringify({
        version: PROTOCOL_VERSION,
        code,
        publicKey: signing.publicKey,
        boxKey: newBoxKeyPair().publicKey,
        terminalTime: Date.now(),
      }),
      cert,
    );
    expect(enrol.status).toBe(200);
    const key = signing.privateKey;
    const body = JSON.stringify({
      version: PROTOCOL_VERSION,
      terminalId: 'TLS1',
      operations: [
        {
          seq: 1,
          operationId: 'tls-op-1',
          terminalId: 'TLS1',
          storeId: 'S1',
          kind: 'member_created',
          payload: { member: { id: 'm1' } },
          createdAt: Date.now(),
        },
      ],
    });
    const headers = {
      ...signRequest({ key, terminalId: 'TLS1', method: 'POST', path: '/v1/push', body, now: Date.now() }),
    };
    const push = await post(server.url, '/v1/push', body, cert, headers);
    expect(push.status).toBe(200);
    expect(push.json).toMatchObject({
      lastAppliedSeq: 1,
      results: [{ operationId: 'tls-op-1', status: 'applied' }],
    });
  });
});
