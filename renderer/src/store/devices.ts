/** The Devices screen's state: pairings and live status, the last discovery, test results and diagnostics. */
import { create } from 'zustand';
import type {
  DevicesStatus,
  DiagnosisView,
  DiscoveryView,
  PairInput,
  PairingRole,
  TerminalSettings,
} from '../../../electron/contract/index';
import { asFailure, call, type PosFailure } from '../api/client';

export type TestName = 'reader' | 'swiper' | 'printer' | 'drawer';

/** What a test showed, as lines of label and value. */
export type TestResult =
  | { state: 'waiting' }
  | { state: 'done'; lines: [string, string][]; preview?: string }
  | { state: 'failed'; failure: PosFailure };

interface DevicesState {
  status: DevicesStatus | null;
  discovery: DiscoveryView | null;
  discovering: boolean;
  diagnosis: DiagnosisView | null;
  diagnosing: boolean;
  tests: Partial<Record<TestName, TestResult>>;
  failure: PosFailure | null;
  busy: boolean;
  refresh(): Promise<void>;
  discover(networkPrinters?: string[]): Promise<void>;
  pair(input: PairInput): Promise<boolean>;
  unpair(role: PairingRole): Promise<void>;
  test(name: TestName): Promise<void>;
  diagnose(language: 'zh-CN' | 'en'): Promise<void>;
  downloadBundle(): Promise<void>;
  setSettings(patch: Partial<TerminalSettings>): Promise<void>;
}

/** Below the bridge's 15 s call timeout, so the host's DEVICE_TEST_TIMEOUT arrives, not a lost connection. */
const TEST_TIMEOUT_MS = 12_000;

export const useDevices = create<DevicesState>((set, get) => {
  const guarded = async (run: () => Promise<void>) => {
    set({ busy: true, failure: null });
    try {
      await run();
    } catch (error) {
      set({ failure: asFailure(error) });
    } finally {
      set({ busy: false });
    }
  };
  const setTest = (name: TestName, result: TestResult) => set({ tests: { ...get().tests, [name]: result } });

  return {
    status: null,
    discovery: null,
    discovering: false,
    diagnosis: null,
    diagnosing: false,
    tests: {},
    failure: null,
    busy: false,
    async refresh() {
      try {
        set({ status: await call('devices.status', {}) });
      } catch (error) {
        set({ failure: asFailure(error) });
      }
    },
    async discover(networkPrinters = []) {
      set({ discovering: true, failure: null });
      try {
        set({ discovery: await call('devices.discover', { networkPrinters }) });
      } catch (error) {
        set({ failure: asFailure(error) });
      } finally {
        set({ discovering: false });
      }
    },
    async pair(input) {
      let paired = false;
      await guarded(async () => {
        await call('devices.pair', input);
        paired = true;
        await get().refresh();
      });
      return paired;
    },
    async unpair(role) {
      await guarded(async () => {
        await call('devices.unpair', { role });
        const tests = { ...get().tests };
        delete tests[role];
        set({ tests });
        await get().refresh();
      });
    },
    async test(name) {
      setTest(name, { state: 'waiting' });
      try {
        if (name === 'reader') {
          const card = await call('devices.testReader', { timeoutMs: TEST_TIMEOUT_MS });
          setTest(name, {
            state: 'done',
            lines: [
              ['reader', card.reader],
              ['atr', card.atr],
              ['cardType', card.cardType],
              ['uid', card.uid ?? '—'],
              ...(card.cardNumber === null ? [] : [['cardNumber', card.cardNumber] as [string, string]]),
            ],
          });
        } else if (name === 'swiper') {
          const swipe = await call('devices.testSwiper', { timeoutMs: TEST_TIMEOUT_MS });
          setTest(name, {
            state: 'done',
            lines: swipe.masked === null ? [['refused', swipe.refused ?? '']] : [['masked', swipe.masked]],
          });
        } else if (name === 'printer') {
          const printed = await call('devices.testPrint', {});
          setTest(name, { state: 'done', lines: [['printed', printed.jobId]], preview: printed.preview });
        } else {
          const opened = await call('devices.openDrawer', {});
          setTest(name, { state: 'done', lines: [['drawer', opened.jobId]] });
        }
      } catch (error) {
        setTest(name, { state: 'failed', failure: asFailure(error) });
      }
    },
    async diagnose(language) {
      set({ diagnosing: true, failure: null });
      try {
        set({ diagnosis: await call('devices.diagnose', { language }) });
      } catch (error) {
        set({ failure: asFailure(error) });
      } finally {
        set({ diagnosing: false });
      }
    },
    async downloadBundle() {
      await guarded(async () => {
        const bundle = await call('devices.bundle', {});
        const bytes = Uint8Array.from(atob(bundle.base64), (char) => char.charCodeAt(0));
        const url = URL.createObjectURL(new Blob([bytes], { type: 'application/gzip' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = bundle.fileName;
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      });
    },
    async setSettings(patch) {
      await guarded(async () => {
        await call('devices.setSettings', patch);
        await get().refresh();
      });
    },
  };
});
