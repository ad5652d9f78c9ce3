/**
 * The technician's Devices screen: each role (member-card reader, swiper, receipt printer with its drawer)
 * with its paired device and live state, a test for each, discovery with one-click pairing, a printer form for
 * serial / USB / network printers, diagnostics with the fix in plain words, the support bundle, and the
 * terminal's kiosk and start-at-login settings, and the member-card format (technicians and admins). Managers
 * see it read-only, without the card format.
 */
import { useEffect, useId, useState } from 'react';
import type {
  DiscoveredDeviceView,
  PairingRole,
  PrinterPairing,
  PrinterTransportConfig,
  RoleStatus,
} from '../../../electron/contract/index';
import { on, PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { Fact } from '../components/Fact';
import type { MessageKey } from '../i18n/messages';
import { describeFailure, type T, useT } from '../i18n/use-t';
import { useApp } from '../store/app';
import { type TestName, type TestResult, useDevices } from '../store/devices';
import { CardFormatPanel } from './CardFormatPanel';
import { CustomerDisplayPanel } from './CustomerDisplayPanel';
import { HqPanel } from './HqPanel';
import { KeyedEntryPanel } from './KeyedEntryPanel';
import { splitHostPort } from './printer-address';

// The contract's lists, repeated here because the renderer bundle carries no validators (types only).
const PRINTER_PROFILE_IDS: readonly PrinterPairing['profileId'][] = ['pos58-203', 'pos80-203', 'pos80-180'];
const SERIAL_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

const ROLE_WORDS: Record<PairingRole, MessageKey> = {
  reader: 'devices.role.reader',
  swiper: 'devices.role.swiper',
  printer: 'devices.role.printer',
};
const STATE_WORDS: Record<RoleStatus['state'], MessageKey> = {
  connected: 'devices.state.connected',
  disconnected: 'devices.state.disconnected',
  error: 'devices.state.error',
  simulated: 'devices.state.simulated',
};
const RESULT_WORDS: Record<string, MessageKey> = {
  reader: 'devices.result.reader',
  atr: 'devices.result.atr',
  cardType: 'devices.result.cardType',
  uid: 'devices.result.uid',
  cardNumber: 'devices.result.cardNumber',
  masked: 'devices.result.masked',
  refused: 'devices.result.refused',
  printed: 'devices.result.printed',
  drawer: 'devices.result.drawer',
};
/** Each test's outcome is a live status of its own, named by the test, so it is read out when it changes. */
const OUTCOME_WORDS: Record<TestName, MessageKey> = {
  reader: 'devices.outcome.reader',
  swiper: 'devices.outcome.swiper',
  printer: 'devices.outcome.printer',
  drawer: 'devices.outcome.drawer',
};
const WAITING_WORDS: Record<TestName, MessageKey> = {
  reader: 'devices.waiting.reader',
  swiper: 'devices.waiting.swiper',
  printer: 'devices.waiting.printer',
  drawer: 'devices.waiting.drawer',
};

function TestLines({ result }: { result: TestResult | undefined }) {
  const t = useT();
  if (result === undefined) return null;
  if (result.state === 'failed') {
    return (
      <p className="error-note" role="alert" data-code={result.failure.code}>
        {describeFailure(t, result.failure)}
      </p>
    );
  }
  if (result.state === 'waiting') return null;
  return (
    <dl className="test-result">
      {result.lines.map(([label, value]) => (
        <Fact
          key={label}
          label={label in RESULT_WORDS ? t(RESULT_WORDS[label] as MessageKey) : label}
          {...(label === 'atr' || label === 'uid' ? { className: 'mono' } : {})}
        >
          {value}
        </Fact>
      ))}
    </dl>
  );
}

/** A test's outcome: there (empty) before the test runs, so what it says later is announced. */
function TestOutcome({ name, result }: { name: TestName; result: TestResult | undefined }) {
  const t = useT();
  return (
    <>
      <div role="status" aria-label={t(OUTCOME_WORDS[name])}>
        {result?.state === 'waiting' ? <p className="test-waiting">{t(WAITING_WORDS[name])}</p> : null}
        <TestLines result={result} />
      </div>
      {result?.state !== 'done' || result.preview === undefined ? null : (
        <figure className="test-preview">
          <figcaption>{t('devices.testPreview')}</figcaption>
          <pre className="receipt">{result.preview}</pre>
        </figure>
      )}
    </>
  );
}

function describePairing(role: PairingRole): string | null {
  const pairing = useDevices.getState().status?.pairing;
  if (pairing === undefined) return null;
  if (role === 'reader') return pairing.reader?.reader ?? null;
  if (role === 'swiper') {
    const swiper = pairing.swiper;
    if (swiper === null) return null;
    const ids = `${swiper.vendorId.toString(16).padStart(4, '0')}:${swiper.productId.toString(16).padStart(4, '0')}`;
    return `${swiper.name ?? ids} (${ids}, ${swiper.mode})`;
  }
  const printer = pairing.printer;
  if (printer === null) return null;
  const where =
    printer.transport.kind === 'serial'
      ? `${printer.transport.path} @ ${printer.transport.baudRate}`
      : printer.transport.kind === 'usblp'
        ? printer.transport.path
        : `${printer.transport.host}:${printer.transport.port}`;
  return `${printer.profileId} · ${where}`;
}

/** The readers this terminal sees (not the PC/SC service itself, not the simulator's): pair one of them. */
function ReaderChoice({ paired }: { paired: string | null }) {
  const t = useT();
  const busy = useDevices((state) => state.busy);
  const devices = useDevices((state) => state.status?.devices);
  const found = useDevices((state) => state.discovery?.devices);
  // Readers the host is using now, and those discovery found on pcscd (several on one till are common).
  const readers = [
    ...new Set([
      ...(devices ?? [])
        .filter(
          (device) => device.kind === 'reader' && device.state === 'connected' && device.device !== 'PC/SC',
        )
        .map((device) => device.device),
      ...(found ?? []).filter((device) => device.kind === 'pcsc-reader').map((device) => device.name),
    ]),
  ];
  const [chosen, setChosen] = useState('');
  const reader = readers.includes(chosen) ? chosen : (readers.find((name) => name !== paired) ?? '');
  if (readers.length === 0) return null;
  return (
    <div className="row">
      <label>
        {t('devices.chooseReader')}
        <select value={reader} onChange={(event) => setChosen(event.target.value)}>
          {readers.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={busy || reader === ''}
        onClick={() => void useDevices.getState().pair({ role: 'reader', reader })}
      >
        {t('devices.pairReader')}
      </button>
    </div>
  );
}

function RoleCard({ status, canPair }: { status: RoleStatus; canPair: boolean }) {
  const t = useT();
  const tests = useDevices((state) => state.tests);
  const drawer = useDevices((state) => state.status?.pairing.printer?.drawer ?? false);
  const { test, unpair, busy } = useDevices.getState();
  const role = status.role;
  const paired = describePairing(role);
  const titleId = useId();
  return (
    <section className="role-card" aria-labelledby={titleId} data-state={status.state}>
      <header>
        <h3 id={titleId}>{t(ROLE_WORDS[role])}</h3>
        <span className={`light light-${status.state}`}>
          {t(STATE_WORDS[status.state])}
          {status.detail ? ` · ${status.detail}` : ''}
        </span>
      </header>
      {/* What is paired changes under the technician's clicks: a live status, named for what it says. */}
      <p className="role-device" role="status" aria-label={t('devices.pairedDevice')}>
        {paired ?? t('devices.notPaired')}
        {!status.paired && status.device ? ` · ${t('devices.inUse')} ${status.device}` : ''}
      </p>
      {canPair ? (
        <div className="role-actions">
          {role === 'printer' || status.paired ? (
            <button
              type="button"
              className="primary"
              disabled={tests[role]?.state === 'waiting'}
              onClick={() => void test(role)}
            >
              {t(
                role === 'printer'
                  ? 'devices.testPrint'
                  : role === 'reader'
                    ? 'devices.testReader'
                    : 'devices.testSwiper',
              )}
            </button>
          ) : null}
          {role === 'printer' && drawer ? (
            <button type="button" onClick={() => void test('drawer')}>
              {t('devices.openDrawer')}
            </button>
          ) : null}
          {status.paired ? (
            <button type="button" className="link" disabled={busy} onClick={() => void unpair(role)}>
              {t('devices.unpair')}
            </button>
          ) : null}
        </div>
      ) : null}
      {canPair && role === 'reader' ? <ReaderChoice paired={paired} /> : null}
      <TestOutcome name={role} result={tests[role]} />
      {role === 'printer' ? <TestOutcome name="drawer" result={tests.drawer} /> : null}
    </section>
  );
}

/** Where discovery looked (pcsc, hid, serial, …), in words. */
function sourceWords(t: T, source: string): string {
  const key = `devices.source.${source}`;
  return key in SOURCE_KEYS ? t(key as MessageKey) : source;
}
const SOURCE_KEYS = Object.fromEntries(
  ['pcsc', 'hid', 'serial', 'usb-printer', 'network-printer'].map((source) => [
    `devices.source.${source}`,
    true,
  ]),
);

const KIND_WORDS: Record<DiscoveredDeviceView['kind'], MessageKey> = {
  'pcsc-reader': 'devices.kind.pcsc',
  hid: 'devices.kind.hid',
  serial: 'devices.kind.serial',
  'usb-printer': 'devices.kind.usbPrinter',
  'network-printer': 'devices.kind.networkPrinter',
};

function Discovery({
  canPair,
  onPrinter,
}: {
  canPair: boolean;
  onPrinter: (device: DiscoveredDeviceView) => void;
}) {
  const t = useT();
  const { discovery, discovering } = useDevices();
  const titleId = useId();
  const [network, setNetwork] = useState('');
  const pairAs = (device: DiscoveredDeviceView) => {
    const suggested = device.suggested;
    if (suggested === null) return;
    if (suggested.role === 'printer') onPrinter(device);
    else void useDevices.getState().pair(suggested);
  };
  return (
    <section className="devices-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('devices.discovery')}</h3>
      <div className="row">
        <input
          value={network}
          placeholder={t('devices.networkHint')}
          aria-label={t('devices.networkHint')}
          onChange={(event) => setNetwork(event.target.value)}
        />
        <button
          type="button"
          className="primary"
          disabled={discovering}
          onClick={() =>
            void useDevices.getState().discover(
              network
                .split(/[\s,，]+/)
                .map((part) => part.trim())
                .filter(Boolean),
            )
          }
        >
          {discovering ? t('devices.discovering') : t('devices.discover')}
        </button>
      </div>
      {discovery ? (
        <>
          <table className="discovered">
            <tbody>
              {discovery.devices.map((device) => (
                <tr key={device.id} data-kind={device.kind}>
                  <td>{t(KIND_WORDS[device.kind])}</td>
                  <td>
                    {device.name}
                    {device.path && !device.name.includes(device.path) ? (
                      <div className="mono">{device.path}</div>
                    ) : null}
                  </td>
                  <td className="mono">
                    {device.vendorId === null
                      ? ''
                      : `${device.vendorId.toString(16).padStart(4, '0')}:${(device.productId ?? 0).toString(16).padStart(4, '0')}`}
                  </td>
                  <td>
                    {canPair && device.suggested ? (
                      <button type="button" onClick={() => pairAs(device)}>
                        {t('devices.pairAs', { role: t(ROLE_WORDS[device.suggested.role]) })}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {discovery.devices.length === 0 ? <p>{t('devices.noneFound')}</p> : null}
          <ul className="sources">
            {discovery.sources
              .filter((source) => !source.ok)
              .map((source) => (
                <li key={source.source} className="warning" data-code={source.code}>
                  {sourceWords(t, source.source)}:{' '}
                  {describeFailure(
                    t,
                    new PosFailure({ code: source.code ?? 'generic', message: source.message ?? '' }),
                  )}
                </li>
              ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

type PrinterForm = {
  kind: PrinterTransportConfig['kind'];
  path: string;
  baudRate: number;
  host: string;
  port: string;
  profileId: PrinterPairing['profileId'];
  drawer: boolean;
};

function PrinterPairingForm({ form, setForm }: { form: PrinterForm; setForm: (form: PrinterForm) => void }) {
  const t = useT();
  const busy = useDevices((state) => state.busy);
  const titleId = useId();
  const submit = () => {
    const transport: PrinterTransportConfig =
      form.kind === 'serial'
        ? { kind: 'serial', path: form.path.trim(), baudRate: form.baudRate }
        : form.kind === 'usblp'
          ? { kind: 'usblp', path: form.path.trim() }
          : { kind: 'tcp', ...splitHostPort(form.host, form.port) };
    void useDevices
      .getState()
      .pair({ role: 'printer', profileId: form.profileId, transport, drawer: form.drawer });
  };
  return (
    <section className="devices-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('devices.printerForm')}</h3>
      <div className="form-grid">
        <label>
          {t('devices.transport')}
          <select
            value={form.kind}
            onChange={(event) => setForm({ ...form, kind: event.target.value as PrinterForm['kind'] })}
          >
            <option value="serial">{t('devices.transport.serial')}</option>
            <option value="usblp">{t('devices.transport.usblp')}</option>
            <option value="tcp">{t('devices.transport.tcp')}</option>
          </select>
        </label>
        {form.kind === 'tcp' ? (
          <>
            <label>
              {t('devices.host')}
              <input value={form.host} onChange={(event) => setForm({ ...form, host: event.target.value })} />
            </label>
            <label>
              {t('devices.port')}
              <input
                value={form.port}
                inputMode="numeric"
                onChange={(event) => setForm({ ...form, port: event.target.value })}
              />
            </label>
          </>
        ) : (
          <label>
            {t('devices.path')}
            <input
              value={form.path}
              placeholder={form.kind === 'serial' ? '/dev/serial/by-id/…' : '/dev/usb/lp0'}
              onChange={(event) => setForm({ ...form, path: event.target.value })}
            />
          </label>
        )}
        {form.kind === 'serial' ? (
          <label>
            {t('devices.baud')}
            <select
              value={form.baudRate}
              onChange={(event) => setForm({ ...form, baudRate: Number(event.target.value) })}
            >
              {SERIAL_BAUD_RATES.map((rate) => (
                <option key={rate} value={rate}>
                  {rate}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t('devices.profile')}
          <select
            value={form.profileId}
            onChange={(event) =>
              setForm({ ...form, profileId: event.target.value as PrinterForm['profileId'] })
            }
          >
            {PRINTER_PROFILE_IDS.map((id) => (
              <option key={id} value={id}>
                {t(`devices.profile.${id}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={form.drawer}
            onChange={(event) => setForm({ ...form, drawer: event.target.checked })}
          />
          {t('devices.drawer')}
        </label>
      </div>
      <button type="button" className="primary" disabled={busy} onClick={submit}>
        {t('devices.pairPrinter')}
      </button>
    </section>
  );
}

function Diagnostics() {
  const t = useT();
  const locale = useApp((state) => state.locale);
  const { diagnosis, diagnosing, busy } = useDevices();
  const titleId = useId();
  return (
    <section className="devices-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('devices.diagnostics')}</h3>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={diagnosing}
          onClick={() => void useDevices.getState().diagnose(locale)}
        >
          {diagnosing ? t('devices.diagnosing') : t('devices.diagnose')}
        </button>
        <button type="button" disabled={busy} onClick={() => void useDevices.getState().downloadBundle()}>
          {t('devices.bundle')}
        </button>
      </div>
      {diagnosis ? (
        <ul className="findings">
          {diagnosis.findings.map((finding) => (
            <li key={finding.id} className={`finding finding-${finding.severity}`}>
              <strong>{finding.ok ? t('devices.findingOk') : finding.problem}</strong>
              <span className="finding-id"> {finding.id}</span>
              {finding.fix ? <p className="fix">{finding.fix}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Settings({ canPair }: { canPair: boolean }) {
  const t = useT();
  const settings = useDevices((state) => state.status?.pairing.settings);
  if (settings === undefined) return null;
  return (
    <section className="devices-panel">
      <h3>{t('devices.settings')}</h3>
      <label className="check">
        <input
          type="checkbox"
          disabled={!canPair}
          checked={settings.kioskMode}
          onChange={(event) => void useDevices.getState().setSettings({ kioskMode: event.target.checked })}
        />
        {t('devices.kiosk')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          disabled={!canPair}
          checked={settings.startAtLogin}
          onChange={(event) => void useDevices.getState().setSettings({ startAtLogin: event.target.checked })}
        />
        {t('devices.startAtLogin')}
      </label>
      <p className="hint">{t('devices.settingsHint')}</p>
    </section>
  );
}

const EMPTY_FORM: PrinterForm = {
  kind: 'serial',
  path: '',
  baudRate: 9600,
  host: '',
  port: '9100',
  profileId: 'pos58-203',
  drawer: true,
};

export function DevicesScreen() {
  const t = useT();
  const status = useDevices((state) => state.status);
  const failure = useDevices((state) => state.failure);
  const canPair = useApp((state) => state.session?.permissions.includes('devices.pair') ?? false);
  const canFormat = useApp((state) => state.session?.permissions.includes('cards.format') ?? false);
  const canChangeChain = useApp((state) => state.session?.permissions.includes('cards.chain') ?? false);
  const canEnrol = useApp((state) => state.session?.permissions.includes('hq.enrol') ?? false);
  const [form, setForm] = useState<PrinterForm>(EMPTY_FORM);

  useEffect(() => {
    const { refresh } = useDevices.getState();
    void refresh();
    // Live status: every device report (plug, unplug, paper out) redraws the role cards.
    let pending: ReturnType<typeof setTimeout> | null = null;
    const stop = on('device.status', () => {
      if (pending !== null) return;
      pending = setTimeout(() => {
        pending = null;
        void refresh();
      }, 100);
    });
    return () => {
      stop();
      if (pending !== null) clearTimeout(pending);
    };
  }, []);

  const printerFromDiscovery = (device: DiscoveredDeviceView) => {
    const suggested = device.suggested;
    if (suggested?.role !== 'printer') return;
    const transport = suggested.transport;
    setForm({
      ...form,
      kind: transport.kind,
      path: transport.kind === 'tcp' ? '' : transport.path,
      host: transport.kind === 'tcp' ? transport.host : '',
      port: transport.kind === 'tcp' ? String(transport.port) : '9100',
      profileId: suggested.profileId,
    });
  };

  return (
    <main className="devices-screen" data-testid="devices-screen">
      <h2>
        {t('devices.title')}
        {status ? <span className="terminal-id"> · {status.pairing.terminalId}</span> : null}
      </h2>
      <ErrorNote failure={failure} />
      <div className="role-cards">
        {(status?.roles ?? []).map((role) => (
          <RoleCard key={role.role} status={role} canPair={canPair} />
        ))}
      </div>
      <Discovery canPair={canPair} onPrinter={printerFromDiscovery} />
      {canPair ? <PrinterPairingForm form={form} setForm={setForm} /> : null}
      <CustomerDisplayPanel canPair={canPair} />
      <Diagnostics />
      <Settings canPair={canPair} />
      {canFormat ? <CardFormatPanel canChangeChain={canChangeChain} /> : null}
      <HqPanel canEnrol={canEnrol} />
      {canFormat ? <KeyedEntryPanel canChange={canChangeChain} /> : null}
    </main>
  );
}
