// Ketnap dashboard: sign-in, the unit and period pickers, the report panels, live updates.
// Hash routes: #/?unit=…&k=year&y=2023 (the dashboard) and #/candidate/<id> (a timeline).
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import './styles.css';
import { t, getLang, setLang } from './i18n.js';
import { currentSession, gql, onSession, signIn, signOut } from './api/client.js';
import { watchFigures } from './api/live.js';
import { decodePeriod, encodePeriod, periodInput, periodParams, periodYear } from './period.js';
import { ErrorBox } from './components/Panel.jsx';
import { ProgressPanel } from './panels/progress/index.jsx';
import { BreakdownPanel } from './panels/breakdown/index.jsx';
import { FunnelPanel } from './panels/funnel/index.jsx';
import { PipelinePanel } from './panels/pipeline/index.jsx';
import { CoveragePanel } from './panels/coverage/index.jsx';
import { Timeline } from './candidate/Timeline.jsx';

const PANELS = ['progress', 'breakdown', 'funnel', 'pipeline', 'coverage'];
// Which panel shows which of the six reports (reportFiguresChanged names them).
const PANEL_OF = {
  ADMISSION_PROGRESS: 'progress',
  NEW_MEMBER_BREAKDOWN: 'breakdown',
  ADMISSION_FUNNEL: 'funnel',
  TRAINING_SUMMARY: 'funnel',
  PIPELINE_SUMMARY: 'pipeline',
  RESIDENTIAL_COVERAGE: 'coverage',
};
const POLL_MS = 60_000;

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const m = /^\/candidate\/(.+)$/.exec(path);
  if (m) return { view: 'candidate', id: decodeURIComponent(m[1]) };
  const q = new URLSearchParams(query);
  return { view: 'dashboard', unit: q.get('unit'), period: decodePeriod(q) };
}

function dashboardHash(unit, period) {
  const q = encodePeriod(period);
  if (unit) q.set('unit', unit);
  return `#/?${q}`;
}

/** The dashboard route last shown, for the timeline's way back. */
let lastDashboard = '#/';

function useRoute() {
  const [route, setRoute] = useState(parseRoute);
  if (route.view === 'dashboard') lastDashboard = location.hash || '#/';
  useEffect(() => {
    const on = () => setRoute(parseRoute());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function App() {
  const [session, setSession] = useState(currentSession);
  const [, setLangState] = useState(getLang());
  const route = useRoute();
  useEffect(() => onSession(setSession), []);
  const switchLang = () => {
    setLang(getLang() === 'vi' ? 'en' : 'vi');
    setLangState(getLang());
  };
  useEffect(() => {
    document.documentElement.lang = getLang();
    document.title = `Ketnap – ${t('appTitle')}`;
  });
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skip')}
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="star" aria-hidden="true">★</span> Ketnap · {t('appTitle')}
        </div>
        <div class="topbar-tools">
          <button type="button" class="ghost" onClick={switchLang} aria-label={t('language')} data-testid="lang">
            {getLang() === 'vi' ? 'English' : 'Tiếng Việt'}
          </button>
          {session && (
            <>
              <span class="who">
                {session.user.displayName} ({session.user.username})
              </span>
              <button type="button" class="ghost" onClick={() => signOut()}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!session ? (
          <SignIn />
        ) : route.view === 'candidate' ? (
          <Timeline id={route.id} key={route.id} back={lastDashboard} />
        ) : (
          <Dashboard session={session} route={route} />
        )}
      </main>
    </>
  );
}

function SignIn() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const user = useRef(null);
  useEffect(() => user.current?.focus(), []);
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('username')).trim(), String(form.get('password')));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form class="signin" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signInTitle')}</h1>
      <p class="muted">{t('signInHint')}</p>
      <label>
        {t('username')}
        <input ref={user} name="username" autocomplete="username" required />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      {error && <ErrorBox error={error} />}
      <button type="submit" disabled={busy}>
        {busy ? t('signingIn') : t('signIn')}
      </button>
    </form>
  );
}

const SCOPE = `query DashboardScope($after: String) {
  orgUnits(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id code name kind parent { id } }
  }
}`;

/** The units in the account's scope, as a depth-first list from its own unit. */
function useScope(session) {
  const [state, setState] = useState({ units: null, error: null });
  useEffect(() => {
    let live = true;
    (async () => {
      const all = [];
      let after = null;
      for (let page = 0; page < 50; page++) {
        const { orgUnits } = await gql(SCOPE, { after });
        all.push(...orgUnits.nodes);
        if (!orgUnits.pageInfo.hasNextPage) break;
        after = orgUnits.pageInfo.endCursor;
      }
      return all;
    })().then(
      (all) => live && setState({ units: treeOrder(all, session.user.orgUnit?.id), error: null }),
      (error) => live && setState({ units: null, error }),
    );
    return () => {
      live = false;
    };
  }, [session.user.id]);
  return state;
}

function treeOrder(units, rootId) {
  const ids = new Set(units.map((u) => u.id));
  const kids = new Map();
  for (const u of units) {
    const p = u.parent && ids.has(u.parent.id) ? u.parent.id : null;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(u);
  }
  const out = [];
  const walk = (u, depth) => {
    out.push({ ...u, depth });
    for (const c of kids.get(u.id) ?? []) walk(c, depth + 1);
  };
  const roots = kids.get(null) ?? [];
  roots.sort((a, b) => (a.id === rootId ? -1 : b.id === rootId ? 1 : a.code.localeCompare(b.code)));
  for (const r of roots) walk(r, 0);
  return out;
}

function Dashboard({ session, route }) {
  const scope = useScope(session);
  const units = scope.units;
  // The panels wait for the scope, so that a unit named in the address is checked against it
  // first (and no panel asks twice).
  const unitId = !units ? null : units.some((u) => u.id === route.unit) ? route.unit : (session.user.orgUnit?.id ?? units[0]?.id);
  const period = route.period;
  const [keys, setKeys] = useState(() => Object.fromEntries(PANELS.map((p) => [p, 0])));
  const [live, setLive] = useState(false);
  const bump = (panels) => setKeys((k) => ({ ...k, ...Object.fromEntries(panels.map((p) => [p, k[p] + 1])) }));

  // Live: the subscription for the chosen unit; while it is down, an interval.
  useEffect(() => {
    if (!unitId) return undefined;
    const stop = watchFigures(
      unitId,
      (reports) => bump([...new Set(reports.map((r) => PANEL_OF[r]).filter(Boolean))]),
      setLive,
    );
    return () => {
      stop();
      setLive(false);
    };
  }, [unitId]);
  useEffect(() => {
    if (live) return undefined;
    const id = setInterval(() => bump(PANELS), POLL_MS);
    return () => clearInterval(id);
  }, [live]);

  const input = useMemo(() => periodInput(period), [encodePeriod(period).toString()]);
  const params = periodParams(period);
  if (scope.error) return <ErrorBox error={scope.error} />;
  if (!unitId) return <p class="loading" role="status">{t('loading')}</p>;
  const unit = units?.find((u) => u.id === unitId);
  return (
    <>
      <Controls units={units} unitId={unitId} period={period} live={live} onRefresh={() => bump(PANELS)} />
      <h1 class="unit-title">{unit?.name ?? session.user.orgUnit?.name}</h1>
      <div class="panels">
        <ProgressPanel unitId={unitId} period={input} params={params} refreshKey={keys.progress} />
        <BreakdownPanel unitId={unitId} period={input} params={params} refreshKey={keys.breakdown} />
        <FunnelPanel unitId={unitId} period={input} params={params} refreshKey={keys.funnel} />
        <PipelinePanel unitId={unitId} refreshKey={keys.pipeline} />
        <CoveragePanel unitId={unitId} year={periodYear(period)} refreshKey={keys.coverage} />
      </div>
    </>
  );
}

function Controls({ units, unitId, period, live, onRefresh }) {
  const [draft, setDraft] = useState(period);
  useEffect(() => setDraft(period), [encodePeriod(period).toString()]);
  const set = (k) => (e) => setDraft({ ...draft, [k]: e.currentTarget.value });
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: thisYear - 2009 }, (_, i) => thisYear - i);
  const apply = (e) => {
    e.preventDefault();
    location.hash = dashboardHash(unitId, draft);
  };
  return (
    <form class="controls no-print" onSubmit={apply} aria-label={`${t('unit')} · ${t('period')}`}>
      <label>
        {t('unit')}
        <select
          name="unit"
          value={unitId}
          onChange={(e) => (location.hash = dashboardHash(e.currentTarget.value, draft))}
          disabled={!units}
          data-testid="unit"
        >
          {(units ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {'\u00a0\u00a0'.repeat(u.depth) + u.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('period')}
        <select name="kind" value={draft.kind} onChange={set('kind')} data-testid="period-kind">
          <option value="year">{t('periodYear')}</option>
          <option value="term">{t('periodTerm')}</option>
          <option value="range">{t('periodRange')}</option>
          <option value="ytd">{t('periodYtd')}</option>
        </select>
      </label>
      {draft.kind === 'year' && (
        <label>
          {t('year')}
          <select name="year" value={draft.year} onChange={set('year')} data-testid="period-year">
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
      )}
      {draft.kind === 'term' && (
        <>
          <label>
            {t('termStart')}
            <input type="number" name="termStart" min="1990" max="2100" value={draft.termStart} onInput={set('termStart')} required data-testid="term-start" />
          </label>
          <label>
            {t('termEnd')}
            <input type="number" name="termEnd" min="1990" max="2100" value={draft.termEnd} onInput={set('termEnd')} required data-testid="term-end" />
          </label>
          <label>
            {t('asOf')}
            <input type="date" name="termAsOf" value={draft.termAsOf} onInput={set('termAsOf')} data-testid="term-as-of" />
          </label>
        </>
      )}
      {draft.kind === 'range' && (
        <>
          <label>
            {t('from')}
            <input type="date" name="from" value={draft.from} onInput={set('from')} required data-testid="period-from" />
          </label>
          <label>
            {t('to')}
            <input type="date" name="to" value={draft.to} onInput={set('to')} required data-testid="period-to" />
          </label>
        </>
      )}
      {draft.kind === 'ytd' && (
        <label>
          {t('asOf')}
          <input type="date" name="ytd" value={draft.ytd} onInput={set('ytd')} required data-testid="ytd" />
        </label>
      )}
      <button type="submit" data-testid="apply">
        {t('apply')}
      </button>
      <span class="spacer" />
      <span class={live ? 'live on' : 'live'} role="status" data-testid="live">
        {live ? `● ${t('live')}` : `○ ${t('polling')}`}
      </span>
      <button type="button" class="ghost" onClick={onRefresh} data-testid="refresh">
        ↻ {t('refresh')}
      </button>
      <button type="button" class="ghost" onClick={() => print()}>
        {t('print')}
      </button>
    </form>
  );
}

const root = document.getElementById('app');
root.textContent = ''; // the static 'loading' line painted before the script ran
render(<App />, root);
