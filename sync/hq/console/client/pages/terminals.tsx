/**
 * Stores and terminals: add a store, create a terminal and hand its one-time code (with a QR code for a
 * scanner) to the person at the till, give a replaced till a new code, revoke a lost one; and each
 * terminal's sync state (last seen, lag, rows waiting, open sync errors).
 */
import { type FormEvent, useId, useState } from 'react';
import { duration, get, post, when } from '../api';
import { ErrorNote, Table, useAction, useConsole, useLoaded } from '../shared';

interface Store {
  id: string;
  name: string;
  address: string;
  timeZone: string;
  currency: string;
}

interface Terminal {
  terminalId: string;
  storeId: string;
  name: string;
  enrolledAt: number | null;
  lastSeenAt: number | null;
  lagMs: number | null;
  waiting: number | null;
  openRejections: number;
  lastErrorCode: string | null;
  revokedAt: number | null;
  revokedBy: string | null;
  appVersion: string | null;
}

interface Code {
  terminalId: string;
  code: string;
  expiresAt: number;
  qrImage: string;
}

/** The code in groups of five, as a person reads it aloud. */
function grouped(code: string): string {
  return code.match(/.{1,5}/g)?.join('-') ?? code;
}

function CodePanel({ code }: { code: Code }) {
  const { t } = useConsole();
  const titleId = useId();
  return (
    <section className="code-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>{t('codeFor', { terminal: code.terminalId })}</h3>
      <dl>
        <dt>{t('enrolmentCode')}</dt>
        <dd className="code-text">{grouped(code.code)}</dd>
      </dl>
      <img className="qr" src={code.qrImage} alt={t('enrolmentQr')} />
      <p>{t('codeExpires', { at: when(code.expiresAt) })}</p>
      <p className="hint">{t('codeHint')}</p>
    </section>
  );
}

function StoreForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useConsole();
  const [store, setStore] = useState<Store>({
    id: '',
    name: '',
    address: '',
    timeZone: 'Asia/Shanghai',
    currency: 'CNY',
  });
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await post('/admin/stores', store);
      setStore({ ...store, id: '', name: '', address: '' });
      onSaved();
    });
  };
  const field = (key: keyof Store, label: string) => (
    <label>
      {label}
      <input
        value={store[key]}
        onChange={(e) => setStore({ ...store, [key]: e.target.value })}
        required={key !== 'address'}
      />
    </label>
  );
  return (
    <form className="inline" onSubmit={submit}>
      {field('id', t('storeId'))}
      {field('name', t('storeName'))}
      {field('address', t('address'))}
      {field('timeZone', t('timeZone'))}
      {field('currency', t('currency'))}
      <button type="submit" disabled={action.busy}>
        {t('saveStore')}
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}

function TerminalForm({ stores, onCreated }: { stores: Store[]; onCreated: (code: Code) => void }) {
  const { t, user } = useConsole();
  const [storeId, setStoreId] = useState('');
  const [name, setName] = useState('');
  const [terminalId, setTerminalId] = useState('');
  const action = useAction();
  if (user.role === 'finance') return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const made = await post<Code>('/admin/terminals', {
        storeId: storeId || stores[0]?.id,
        name,
        ...(terminalId.trim() === '' ? {} : { terminalId: terminalId.trim() }),
      });
      setName('');
      setTerminalId('');
      onCreated(made);
    });
  };
  return (
    <form className="inline" onSubmit={submit}>
      <label>
        {t('stores')}
        <select value={storeId} onChange={(e) => setStoreId(e.target.value)}>
          {stores.map((store) => (
            <option key={store.id} value={store.id}>
              {store.name} ({store.id})
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('terminalName')}
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        {t('terminalIdOptional')}
        <input value={terminalId} onChange={(e) => setTerminalId(e.target.value)} />
      </label>
      <button type="submit" disabled={action.busy || stores.length === 0}>
        {t('createTerminal')}
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}

export function TerminalsPage() {
  const { t, user } = useConsole();
  const stores = useLoaded(() => get<{ stores: Store[] }>('/admin/stores'), []);
  const terminals = useLoaded(() => get<{ terminals: Terminal[] }>('/admin/terminals'), []);
  const [code, setCode] = useState<Code | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const action = useAction();
  const mayChange = user.role !== 'finance';
  const newCode = (terminalId: string) =>
    action.run(async () => {
      setCode(await post<Code>('/admin/enrolment-codes', { terminalId }));
      terminals.reload();
    });
  const revoke = (terminalId: string) =>
    action.run(async () => {
      await post(`/admin/terminals/${encodeURIComponent(terminalId)}/revoke`);
      setRevoking(null);
      terminals.reload();
    });
  const stateOf = (row: Terminal) =>
    row.revokedAt !== null
      ? `${t('revoked')} ${when(row.revokedAt)} (${row.revokedBy ?? ''})`
      : row.enrolledAt !== null
        ? t('enrolled')
        : t('notEnrolled');
  return (
    <>
      <h2>{t('stores')}</h2>
      <ErrorNote error={stores.error} />
      <Table
        name={t('stores')}
        head={[t('storeId'), t('storeName'), t('address'), t('timeZone'), t('currency')]}
        rows={(stores.data?.stores ?? []).map((store) => ({
          key: store.id,
          cells: [store.id, store.name, store.address, store.timeZone, store.currency],
        }))}
      />
      {user.role === 'chain_admin' && <StoreForm onSaved={stores.reload} />}
      <h2>{t('terminals')}</h2>
      <TerminalForm
        stores={stores.data?.stores ?? []}
        onCreated={(made) => {
          setCode(made);
          terminals.reload();
        }}
      />
      {code && <CodePanel code={code} />}
      <ErrorNote error={terminals.error ?? action.error} />
      <Table
        name={t('terminals')}
        head={[
          t('terminalId'),
          t('terminalName'),
          t('stores'),
          t('state'),
          t('lastSeen'),
          t('syncLag'),
          t('waiting'),
          t('openErrors'),
          t('lastError'),
          t('appVersion'),
          '',
        ]}
        rows={(terminals.data?.terminals ?? []).map((row) => ({
          key: row.terminalId,
          cells: [
            row.terminalId,
            row.name,
            row.storeId,
            stateOf(row),
            when(row.lastSeenAt),
            duration(row.lagMs),
            row.waiting ?? '—',
            row.openRejections,
            row.lastErrorCode ?? '',
            row.appVersion ?? '—',
            mayChange ? (
              <span key="actions" className="actions">
                <button type="button" onClick={() => newCode(row.terminalId)}>
                  {t('newCode')}
                </button>
                {row.revokedAt === null &&
                  (revoking === row.terminalId ? (
                    <>
                      <span className="warn">{t('revokeConfirm')}</span>
                      <button type="button" className="danger" onClick={() => revoke(row.terminalId)}>
                        {t('revoke')}
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setRevoking(row.terminalId)}>
                      {t('revoke')}
                    </button>
                  ))}
              </span>
            ) : (
              ''
            ),
          ],
        }))}
      />
    </>
  );
}
