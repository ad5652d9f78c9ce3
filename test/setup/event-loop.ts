/**
 * Before each test the event loop turns once. A file whose tests only await work that settles at once (the
 * host's API over an in-memory ledger) otherwise runs as one chain of microtasks, and the test runner's own
 * messages to vitest go unread until the file ends. Vitest gives each message 60 seconds; on a busy machine
 * a long file outlasts that, and every message it sent meanwhile is reported as an unhandled timeout, after
 * all its tests passed.
 */
import { setImmediate } from 'node:timers';
import { beforeEach } from 'vitest';

// node:timers' own setImmediate: a file that fakes the global timers must not hold this up.
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
