/**
 * What a load balancer in front of several HQ processes does for a terminal: each request goes to one of them
 * at random. Every request is a real signed HTTP request to a real HQ.
 */
import type { HqTransport, TerminalCredentials, WireAuditRecord, WireOperation } from '../../sync';
import { HqHttpClient } from '../../sync';

export class RandomHq implements HqTransport {
  private readonly clients: HqHttpClient[];

  constructor(urls: readonly string[], credentials: TerminalCredentials, timeoutMs = 5_000) {
    this.clients = urls.map((url) => new HqHttpClient(url, credentials, { timeoutMs }));
  }

  private pick(): HqHttpClient {
    return this.clients[Math.floor(Math.random() * this.clients.length)]!;
  }

  push(terminalId: string, operations: WireOperation[], waiting?: number) {
    return this.pick().push(terminalId, operations, waiting);
  }

  feed(after: number, limit: number) {
    return this.pick().feed(after, limit);
  }

  pushAudit(terminalId: string, records: WireAuditRecord[], waiting?: number) {
    return this.pick().pushAudit(terminalId, records, waiting);
  }
}
