// The frame of a panel: heading, loading and error states, downloads, and a table toggle.
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { download } from '../api/client.js';

/** Prints one panel alone (an A4 page); the whole dashboard prints from the toolbar. */
export function printPanel(id) {
  document.body.dataset.print = id;
  addEventListener('afterprint', () => delete document.body.dataset.print, { once: true });
  print();
}

export function ErrorBox({ error, onRetry }) {
  return (
    <div class="error" role="alert">
      <p>{error.message}</p>
      <p class="muted">
        {t('errorCode')}: <code>{error.code}</code>
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** `exports`: [{ report: 'admission-progress', params, name? }] — one CSV and one XLSX button each. */
export function Panel({ id, title, state, onRetry, exports = [], children, extra }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const save = async (report, ext, params) => {
    setBusy(report + ext);
    setError(null);
    try {
      await download(`${report}.${ext}`, params);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="panel" id={`panel-${id}`} aria-labelledby={`h-${id}`} aria-busy={state.loading ? 'true' : 'false'}>
      <header class="panel-head">
        <h2 id={`h-${id}`}>{title}</h2>
        <div class="panel-tools no-print">
          {extra}
          <button type="button" class="small" onClick={() => printPanel(id)} aria-label={`${t('print')}: ${title}`} data-print={id}>
            {t('printShort')}
          </button>
          {exports.map(({ report, params, name }) =>
            ['csv', 'xlsx'].map((ext) => (
              <button
                type="button"
                class="small"
                key={report + ext}
                disabled={busy !== null}
                onClick={() => save(report, ext, params)}
                aria-label={`${t('download')} ${name ?? title} ${ext.toUpperCase()}`}
                data-export={`${report}.${ext}`}
              >
                {busy === report + ext ? t('downloading') : `⬇ ${name ? `${name} ` : ''}${ext.toUpperCase()}`}
              </button>
            )),
          )}
        </div>
      </header>
      {error && <ErrorBox error={error} />}
      {state.error ? (
        <ErrorBox error={state.error} onRetry={onRetry} />
      ) : !state.data ? (
        <p class="loading" role="status">
          {t('loading')}
        </p>
      ) : (
        <div class={state.loading ? 'panel-body stale' : 'panel-body'}>{children(state.data)}</div>
      )}
    </section>
  );
}

/** A chart with its figures as a table: the table is always there for print and screen readers. */
export function Figure({ caption, chart, table }) {
  const [open, setOpen] = useState(false);
  return (
    <figure class="figure">
      <figcaption>{caption}</figcaption>
      {chart}
      <button type="button" class="link no-print" aria-expanded={open ? 'true' : 'false'} onClick={() => setOpen(!open)}>
        {open ? t('hideTable') : t('showTable')}
      </button>
      <div class={open ? 'table-wrap' : 'table-wrap closed'}>{table}</div>
    </figure>
  );
}

export function Stat({ label, value, sub, tone }) {
  return (
    <div class={`stat ${tone ?? ''}`}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {sub && <div class="stat-sub">{sub}</div>}
    </div>
  );
}
