/**
 * The first start: join a chain with HQ's one-time code, set up a standalone store, restore a standalone
 * store's backup on a new machine (its copy folder and the printed backup recovery code), or open the demo café.
 * Every choice ends on the login screen; until the host answers nothing is set up, so a refusal (a wrong code,
 * HQ away) leaves the screen as it was, to be tried again.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { FirstAdmin, SetUpBook } from '../../../electron/contract/index';
import { call } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { ShownOnceCode } from '../components/ShownOnceCode';
import { useAction } from '../hooks/use-command';
import { useT } from '../i18n/use-t';
import { useApp } from '../store/app';

type Choice = 'join' | 'standalone' | 'restore' | 'demo';

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const NO_ADMIN: FirstAdmin = { name: '', staffNo: '', pin: '', pinAgain: '' };

/** The zones the browser knows, for the time zone field's suggestions. */
function timeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [DEFAULT_TIME_ZONE];
}

const onlyDigits = (text: string) => text.replace(/\D/g, '').slice(0, 8);

/**
 * Submits one setup choice; on success the app asks the host again and shows the login. A new live store's
 * recovery sheet comes first: its code is shown once, and the login follows when the admin has it on paper.
 */
function useSetup() {
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);
  const setup = useAction(async (work: () => Promise<SetUpBook & { recoveryCode?: string }>) => {
    const book = await work();
    if (book.recoveryCode !== undefined) setRecoveryCode(book.recoveryCode);
    else await useApp.getState().restore();
    return book;
  });
  // A book set up stays set up: the buttons stay off while the screen moves on.
  const working = setup.pending || setup.result !== undefined;
  const { failure, run } = setup;
  const sheet =
    recoveryCode === null ? null : (
      <FirstRecoverySheet code={recoveryCode} onDone={() => void useApp.getState().restore()} />
    );
  return { failure, working, run, sheet };
}

/** The store's recovery sheet, once, at the end of setup: the last admin's way back in from day one. */
function FirstRecoverySheet(props: { code: string; onDone: () => void }) {
  const t = useT();
  return (
    <div className="setup-form recovery-sheet">
      <h3>{t('recovery.title')}</h3>
      <p>{t('setup.recovery.hint')}</p>
      <ShownOnceCode code={props.code} testId="setup-recovery-code" onDone={props.onDone} />
    </div>
  );
}

/**
 * Enter in any field moves on to the first empty one and submits only when all are filled, so a barcode
 * scanner that types the code and Enter never sends a half-filled form.
 */
function firstEmpty(form: HTMLFormElement): HTMLInputElement | undefined {
  return [...form.querySelectorAll<HTMLInputElement>('input[required]')].find(
    (input) => input.value.trim() === '',
  );
}

/** The admin's digit fields: the staff number, then the PIN typed twice. */
const DIGIT_FIELDS = [
  { field: 'staffNo', label: 'setup.admin.staffNo', secret: false },
  { field: 'pin', label: 'setup.admin.pin', secret: true },
  { field: 'pinAgain', label: 'setup.admin.pinAgain', secret: true },
] as const;

function AdminFields({ admin, onChange }: { admin: FirstAdmin; onChange: (admin: FirstAdmin) => void }) {
  const t = useT();
  return (
    <fieldset className="setup-admin">
      <legend>{t('setup.admin')}</legend>
      <p className="muted">{t('setup.admin.hint')}</p>
      <label className="field">
        {t('setup.admin.name')}
        <input
          required
          value={admin.name}
          maxLength={40}
          onChange={(event) => onChange({ ...admin, name: event.target.value })}
        />
      </label>
      {DIGIT_FIELDS.map(({ field, label, secret }) => (
        <label className="field" key={field}>
          {t(label)}
          <input
            required
            inputMode="numeric"
            {...(secret ? { type: 'password', autoComplete: 'new-password' } : {})}
            value={admin[field]}
            onChange={(event) => onChange({ ...admin, [field]: onlyDigits(event.target.value) })}
          />
        </label>
      ))}
    </fieldset>
  );
}

function guarded(submit: () => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const empty = firstEmpty(event.currentTarget);
    if (empty !== undefined) {
      empty.focus();
      return;
    }
    submit();
  };
}

function JoinForm() {
  const t = useT();
  const { failure, working, run, sheet } = useSetup();
  const [hqUrl, setHqUrl] = useState('');
  const [code, setCode] = useState('');
  const [admin, setAdmin] = useState(NO_ADMIN);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  if (sheet !== null) return sheet;
  return (
    <form
      className="setup-form"
      noValidate
      onSubmit={guarded(() => void run(() => call('setup.join', { hqUrl, code, admin })))}
    >
      <p className="muted">{t('setup.join.hint')}</p>
      <label className="field">
        {t('setup.join.hqUrl')}
        <input
          ref={first}
          required
          type="url"
          placeholder="https://hq.example.com"
          value={hqUrl}
          onChange={(event) => setHqUrl(event.target.value.trim())}
        />
      </label>
      <label className="field">
        {t('setup.join.code')}
        <input
          required
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(event) => setCode(event.target.value.trim())}
        />
      </label>
      <AdminFields admin={admin} onChange={setAdmin} />
      <ErrorNote failure={failure} />
      <button type="submit" className="primary" disabled={working}>
        {working ? t('setup.join.working') : t('setup.join.submit')}
      </button>
    </form>
  );
}

function StandaloneForm() {
  const t = useT();
  const { failure, working, run, sheet } = useSetup();
  const [storeName, setStoreName] = useState('');
  const [timeZone, setTimeZone] = useState(DEFAULT_TIME_ZONE);
  const [admin, setAdmin] = useState(NO_ADMIN);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  if (sheet !== null) return sheet;
  return (
    <form
      className="setup-form"
      noValidate
      onSubmit={guarded(() => void run(() => call('setup.standalone', { storeName, timeZone, admin })))}
    >
      <p className="muted">{t('setup.standalone.hint')}</p>
      <label className="field">
        {t('setup.standalone.storeName')}
        <input
          ref={first}
          required
          maxLength={60}
          value={storeName}
          onChange={(event) => setStoreName(event.target.value)}
        />
      </label>
      <label className="field">
        {t('setup.standalone.timeZone')}
        <input
          required
          list="setup-time-zones"
          value={timeZone}
          onChange={(event) => setTimeZone(event.target.value.trim())}
        />
        <datalist id="setup-time-zones">
          {timeZones().map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>
      <p className="muted">{t('setup.standalone.currency')}</p>
      <AdminFields admin={admin} onChange={setAdmin} />
      <ErrorNote failure={failure} />
      <button type="submit" className="primary" disabled={working}>
        {t('setup.standalone.submit')}
      </button>
    </form>
  );
}

/** A new machine for a standalone store: the folder of its copies off the old machine, and the printed code. */
function RestoreForm() {
  const t = useT();
  const { failure, working, run } = useSetup();
  const [folder, setFolder] = useState('');
  const [code, setCode] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <form
      className="setup-form"
      noValidate
      onSubmit={guarded(() => void run(() => call('setup.restore', { folder, code })))}
    >
      <p className="muted">{t('setup.restore.hint')}</p>
      <label className="field">
        {t('setup.restore.folder')}
        <input
          ref={first}
          required
          placeholder="/media/usb/member-card-pos-…"
          value={folder}
          onChange={(event) => setFolder(event.target.value)}
        />
      </label>
      <label className="field">
        {t('setup.restore.code')}
        <input
          required
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
      </label>
      <ErrorNote failure={failure} />
      <button type="submit" className="primary" disabled={working}>
        {working ? t('setup.restore.working') : t('setup.restore.submit')}
      </button>
    </form>
  );
}

function DemoChoice() {
  const t = useT();
  const { failure, working, run } = useSetup();
  return (
    <div className="setup-form">
      <p className="muted">{t('setup.demo.hint')}</p>
      <ErrorNote failure={failure} />
      <button
        type="button"
        className="primary"
        disabled={working}
        onClick={() => void run(() => call('setup.demo', {}))}
      >
        {t('setup.demo.submit')}
      </button>
    </div>
  );
}

export function SetupScreen() {
  const t = useT();
  const [choice, setChoice] = useState<Choice>('join');
  return (
    <main className="login">
      <section className="dialog setup">
        <h1>{t('setup.title')}</h1>
        <p>{t('setup.hint')}</p>
        <div className="setup-tabs" role="tablist">
          {(['join', 'standalone', 'restore', 'demo'] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={choice === tab}
              className={choice === tab ? 'primary' : ''}
              onClick={() => setChoice(tab)}
            >
              {t(`setup.tab.${tab}`)}
            </button>
          ))}
        </div>
        {choice === 'join' ? (
          <JoinForm />
        ) : choice === 'standalone' ? (
          <StandaloneForm />
        ) : choice === 'restore' ? (
          <RestoreForm />
        ) : (
          <DemoChoice />
        )}
      </section>
    </main>
  );
}
