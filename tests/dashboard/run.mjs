// End-to-end acceptance of the dashboard in headless Chromium, against a server running the
// demo data (`ketnap serve --demo`):
//   KETNAP_URL=http://127.0.0.1:8097 node run.mjs
// Screenshots of each panel go to KETNAP_SCREENSHOTS (default target/dashboard-screenshots).
// Exits non-zero when any check fails.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const BASE = (process.env.KETNAP_URL ?? 'http://127.0.0.1:8097').replace(/\/+$/, '');
const ORIGIN = new URL(BASE).origin;
const SHOTS = resolve(process.env.KETNAP_SCREENSHOTS ?? 'target/dashboard-screenshots');
const PASSWORD = 'ketnap-demo-2026';
const PANELS = { progress: 'DashboardProgress', breakdown: 'DashboardBreakdown', funnel: 'DashboardFunnel', pipeline: 'DashboardPipeline', coverage: 'DashboardCoverage' };
mkdirSync(SHOTS, { recursive: true });

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-background-networking'],
});

// Every request and socket of every page, for the same-origin and one-request-per-panel checks.
const requests = [];
const foreign = [];
const consoleErrors = [];
function watch(page) {
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== ORIGIN) foreign.push(url);
    let op = null;
    if (r.method() === 'POST' && new URL(url).pathname === '/graphql') {
      try {
        op = /^\s*(?:query|mutation)\s+(\w+)/.exec(JSON.parse(r.postData() ?? '{}').query ?? '')?.[1] ?? '(anonymous)';
      } catch {
        op = '(unparsable)';
      }
    }
    requests.push({ url, method: r.method(), op, headers: r.headers() });
  });
  page.on('websocket', (ws) => {
    const u = new URL(ws.url());
    const same = u.host === new URL(ORIGIN).host && (u.protocol === 'ws:' || u.protocol === 'wss:');
    if (!same) foreign.push(ws.url());
  });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
}

const mark = () => requests.length;
const opsSince = (from) => {
  const counts = {};
  for (const r of requests.slice(from)) if (r.op) counts[r.op] = (counts[r.op] ?? 0) + 1;
  return counts;
};

async function panelsSettled(page) {
  await page.waitForFunction(
    () => {
      const panels = document.querySelectorAll('.panel');
      return panels.length === 5 && [...panels].every((p) => p.getAttribute('aria-busy') === 'false');
    },
    null,
    { timeout: 15_000 },
  );
  await page.waitForTimeout(400); // anything a panel would send twice arrives by now
}

/**
 * Runs action (a refresh) and checks that no panel sent more than one GraphQL request, and
 * that each panel in `need` (by default all) sent one.
 */
async function oneRequestPerPanel(page, what, action, need = Object.keys(PANELS)) {
  const from = mark();
  await Promise.all([page.waitForRequest((r) => r.url().endsWith('/graphql') && r.method() === 'POST'), action()]);
  await panelsSettled(page);
  const counts = opsSince(from);
  const bad = Object.entries(PANELS).filter(([id, op]) => (counts[op] ?? 0) > 1 || (need.includes(id) && counts[op] !== 1));
  check(`${what}: no panel sends more than one GraphQL request`, bad.length === 0, JSON.stringify(counts));
}

async function signIn(page, username) {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('select[data-testid=unit] option', { state: 'attached', timeout: 15_000 });
}

async function shoot(page, selector, name) {
  await page.locator(selector).screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function text(page, selector) {
  return (await page.locator(selector).first().textContent())?.replace(/\s+/g, ' ').trim() ?? '';
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'vi-VN' });
  const page = await context.newPage();
  watch(page);

  // First paint and the sign-in form.
  const t0 = Date.now();
  await page.goto(`${BASE}/dashboard/`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('form.signin button[type=submit]');
  const wall = Date.now() - t0;
  const paint = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    const form = performance.now();
    return { fcp, form };
  });
  check('first contentful paint under one second', paint.fcp !== null && paint.fcp < 1000, `FCP ${Math.round(paint.fcp)} ms`);
  check('sign-in form under one second', paint.form < 1000, `${Math.round(paint.form)} ms (wall ${wall} ms)`);
  check('the page is in Vietnamese', (await text(page, 'form.signin h1')) === 'Đăng nhập Ketnap', await text(page, 'form.signin h1'));
  await page.screenshot({ path: join(SHOTS, 'sign-in.png') });

  // Keyboard: Tab from the top reaches the username, the password and the sign-in button.
  await page.evaluate(() => document.activeElement?.blur());
  const reached = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent?.trim()));
    if (await page.evaluate(() => document.activeElement?.matches('form.signin button[type=submit]'))) break;
  }
  check('Tab reaches the sign-in button', await page.evaluate(() => document.activeElement?.matches('form.signin button[type=submit]')), reached.join(' → '));

  // A failed sign-in shows the server's message and code. (An account name of no account, so
  // that repeated runs never lock a demo account: 5 failures in 15 minutes would.)
  await page.fill('input[name=username]', 'no.such.account');
  await page.fill('input[name=password]', 'wrong password');
  await page.keyboard.press('Enter');
  await page.waitForSelector('form.signin .error');
  const loginError = await text(page, 'form.signin .error');
  // RATE_LIMITED once this address has failed 20 times in 15 minutes (many runs in a row).
  check('a failed sign-in shows the localised error and its code', /(UNAUTHENTICATED|RATE_LIMITED)$/.test(loginError) && /Mã lỗi/.test(loginError), loginError);

  // demo.district: Biên Sơn, 2023.
  await signIn(page, 'demo.district');
  const login = requests.find((r) => r.op === 'SignIn');
  check('requests carry Accept-Language: vi', login?.headers['accept-language'] === 'vi', login?.headers['accept-language']);
  await panelsSettled(page);
  check('the unit picker starts at the account’s unit', (await text(page, '.unit-title')) === 'Đảng bộ huyện Biên Sơn', await text(page, '.unit-title'));
  const districtUnits = await page.locator('select[data-testid=unit] option').count();
  check('demo.district’s picker offers its subtree', districtUnits > 1, `${districtUnits} units`);

  await page.selectOption('select[data-testid=period-kind]', 'year');
  await page.selectOption('select[data-testid=period-year]', '2023');
  // The pipeline is as of today, so a change of period leaves it be; the coverage follows the year.
  await oneRequestPerPanel(page, 'choosing 2023', () => page.click('button[data-testid=apply]'), ['progress', 'breakdown', 'funnel', 'coverage']);
  const own = await text(page, '[data-testid=progress-own]');
  const share = await text(page, '[data-testid=progress-share]');
  check('Biên Sơn 2023: 59 of 60', own === '59 / 60', own);
  check('Biên Sơn 2023: 98 % of target', /^98([,.]\d+)?\s?%$/.test(share), share);
  check('Biên Sơn 2023 is marked behind target', /Chậm tiến độ/.test(await text(page, '#panel-progress .stats')));
  const childRows = await page.locator('#panel-progress tbody tr').count();
  check('every child unit is ranked', childRows === 4, `${childRows} rows`);
  check('the ranking is drawn as a chart', (await page.locator('#panel-progress .chart svg').count()) === 1);
  const breakdown = await text(page, '#panel-breakdown .stats');
  check('Biên Sơn 2023: 37 of 59 aged 18–30', /37 \/ 59/.test(breakdown), breakdown.slice(0, 120));
  const ageFirst = await page.locator('#panel-breakdown figure').first().locator('tbody tr th').first().textContent();
  check('age bands start with 18–30', /18–30/.test(ageFirst ?? ''), ageFirst);
  for (const id of Object.keys(PANELS)) await shoot(page, `#panel-${id}`, `district-2023-${id}`);
  await page.screenshot({ path: join(SHOTS, 'district-2023.png'), fullPage: true });
  // The top of it, as the README shows it (docs/dashboard.png).
  await page.screenshot({ path: join(SHOTS, 'readme.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1330 } });

  // The table behind a chart opens from the keyboard.
  const toggle = page.locator('#panel-progress button.link');
  await toggle.focus();
  await page.keyboard.press('Enter');
  check('a chart’s table opens from the keyboard', (await toggle.getAttribute('aria-expanded')) === 'true');

  // Hover on a bar: numerator and denominator.
  const bar = page.locator('#panel-breakdown figure').first().locator('.chart svg path[fill="#a50e0e"]').first();
  if (await bar.count()) {
    await bar.hover({ force: true });
    await page.waitForTimeout(300);
    const tip = await page.evaluate(() => [...document.querySelectorAll('#panel-breakdown .chart div')].map((d) => d.textContent).join(' '));
    check('a bar’s tooltip shows numerator and denominator', /37 \/ 59/.test(tip), tip.trim().slice(0, 80));
  } else check('a bar’s tooltip shows numerator and denominator', false, 'no bar found');

  // Live updates over the subscription.
  await page.waitForSelector('[data-testid=live].on', { timeout: 10_000 }).catch(() => {});
  check('live updates are connected (graphql-transport-ws)', (await page.locator('[data-testid=live].on').count()) === 1, await text(page, '[data-testid=live]'));

  // The refresh button.
  await oneRequestPerPanel(page, 'refresh', () => page.click('button[data-testid=refresh]'));

  // Export: the CSV of the progress panel, fetched with the bearer header.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#panel-progress [data-export="admission-progress.csv"]')]);
  const csv = readFileSync(await download.path(), 'utf8');
  check('the progress CSV downloads', download.suggestedFilename().endsWith('.csv') && /Biên Sơn/.test(csv), download.suggestedFilename());
  const csvRequest = requests.find((r) => r.url.includes('/reports/admission-progress.csv'));
  check('the download carries the bearer token', /^Bearer /.test(csvRequest?.headers.authorization ?? ''), csvRequest?.url);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#panel-coverage [data-export="residential-coverage.xlsx"]')]);
  check('the coverage workbook downloads', xlsx.suggestedFilename().endsWith('.xlsx'), xlsx.suggestedFilename());

  // The commune Tân Lập, first half of 2023.
  const tanLap = await page.locator('select[data-testid=unit] option', { hasText: 'Đảng bộ xã Tân Lập' }).getAttribute('value');
  await page.selectOption('select[data-testid=unit]', tanLap);
  await page.waitForFunction(() => document.querySelector('.unit-title')?.textContent === 'Đảng bộ xã Tân Lập');
  await page.selectOption('select[data-testid=period-kind]', 'range');
  await page.fill('input[data-testid=period-from]', '2023-01-01');
  await page.fill('input[data-testid=period-to]', '2023-06-30');
  await panelsSettled(page);
  await oneRequestPerPanel(page, 'choosing 2023-01-01..2023-06-30', () => page.click('button[data-testid=apply]'), ['progress', 'breakdown', 'funnel']);
  const tlOwn = await text(page, '[data-testid=progress-own]');
  const tlShare = await text(page, '[data-testid=progress-share]');
  check('Tân Lập, first half of 2023: 6 of 5', tlOwn === '6 / 5', tlOwn);
  check('Tân Lập, first half of 2023: 120 %', /^120([,.]\d+)?\s?%$/.test(tlShare), tlShare);
  check('the period is labelled in Vietnamese', (await text(page, '#panel-progress .period-label')) === '01/01/2023 – 30/06/2023', await text(page, '#panel-progress .period-label'));
  for (const id of Object.keys(PANELS)) await shoot(page, `#panel-${id}`, `tan-lap-2023h1-${id}`);

  // An error: a range that ends before it starts shows the server's message and code.
  await page.fill('input[data-testid=period-from]', '2023-06-30');
  await page.fill('input[data-testid=period-to]', '2023-01-01');
  await page.click('button[data-testid=apply]');
  await page.waitForSelector('#panel-progress .error', { timeout: 10_000 }).catch(() => {});
  const refusal = await text(page, '#panel-progress .error');
  check('a refused period shows the localised message and code', /RULE_VIOLATION/.test(refusal) && /kỳ kết thúc trước khi bắt đầu/.test(refusal), refusal);
  await page.screenshot({ path: join(SHOTS, 'error-state.png') });

  // The congress term 2020–2025 as of 30 September 2023: 20 of 25.
  await page.selectOption('select[data-testid=period-kind]', 'term');
  await page.fill('input[data-testid=term-start]', '2020');
  await page.fill('input[data-testid=term-end]', '2025');
  await page.fill('input[data-testid=term-as-of]', '2023-09-30');
  await oneRequestPerPanel(page, 'choosing the term 2020–2025', () => page.click('button[data-testid=apply]'), ['progress', 'breakdown', 'funnel']);
  check('Tân Lập, term 2020–2025 to 30/09/2023: 20 of 25, 80 %', (await text(page, '[data-testid=progress-own]')) === '20 / 25' && /^80([,.]\d+)?\s?%$/.test(await text(page, '[data-testid=progress-share]')), `${await text(page, '[data-testid=progress-own]')} ${await text(page, '[data-testid=progress-share]')}`);

  // Live: an act recorded elsewhere (demo.branch puts someone on Nà Lầu's source list, through
  // the API) refreshes the panels whose figures it changed, each with one request.
  if (process.env.KETNAP_LIVE_ACT !== '0') {
    const api = async (token, query, variables) => {
      const res = await fetch(`${BASE}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    };
    const branchLogin = await api(null, 'mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { accessToken } }', { u: 'demo.branch', p: PASSWORD });
    const from = mark();
    const act = await api(branchLogin.data.login.accessToken, 'mutation($i: AddToSourceListInput!) { addToSourceList(input: $i) { candidate { id } } }', {
      i: { listedOn: new Date().toISOString().slice(0, 10), fullName: 'Lường Văn Kiểm Thử', gender: 'MALE', birthDate: '2002-04-12', ethnicity: 'THAI', generalEducation: 'UPPER_SECONDARY', sourceOrganisation: 'YOUTH_UNION' },
    });
    check('an act is recorded through the API', !!act.data?.addToSourceList?.candidate?.id, JSON.stringify(act.errors ?? ''));
    const heard = await page.waitForRequest((r) => r.method() === 'POST' && /DashboardPipeline/.test(r.postData() ?? ''), { timeout: 10_000 }).then(() => true, () => false);
    await panelsSettled(page);
    const counts = opsSince(from);
    check('the subscription refreshes the pipeline panel', heard, JSON.stringify(counts));
    check('a live refresh sends at most one request per panel', Object.values(PANELS).every((op) => (counts[op] ?? 0) <= 1), JSON.stringify(counts));
  }

  // An overdue deadline, clicked through to the candidate's timeline.
  const link = page.locator('[data-testid=overdue] a').first();
  const who = (await link.textContent())?.trim();
  check('the pipeline lists overdue deadlines', !!who, who);
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=timeline] tbody tr', { timeout: 10_000 });
  check('the timeline opens for that candidate', (await text(page, '.candidate-name')) === who, await text(page, '.candidate-name'));
  const acts = await page.locator('[data-testid=timeline] tbody tr').count();
  check('the timeline lists the recorded acts', acts > 0, `${acts} acts`);
  await page.screenshot({ path: join(SHOTS, 'candidate-timeline.png'), fullPage: true });
  await page.click('a.back');
  await page.waitForSelector('#panel-progress');
  await panelsSettled(page);

  // English.
  const fromEn = mark();
  await page.click('[data-testid=lang]');
  check('English is switchable', (await text(page, '#h-progress')) === 'Progress against target', await text(page, '#h-progress'));
  await oneRequestPerPanel(page, 'refresh in English', () => page.click('button[data-testid=refresh]'));
  const en = requests.slice(fromEn).find((r) => r.op === 'DashboardProgress');
  check('requests carry Accept-Language: en', en?.headers['accept-language'] === 'en', en?.headers['accept-language']);
  await page.click('[data-testid=lang]');

  // Keyboard: the main controls are reachable.
  const controls = await page.evaluate(() => {
    const want = ['select[data-testid=unit]', 'select[data-testid=period-kind]', 'button[data-testid=apply]', 'button[data-testid=refresh]'];
    return want.map((s) => document.querySelector(s)?.tabIndex ?? -2);
  });
  await page.focus('select[data-testid=unit]');
  const order = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName));
  }
  check('Tab moves through the period picker to refresh', ['period-kind', 'apply', 'refresh'].every((x) => order.includes(x)), order.join(' → '));
  check('the main controls are in the tab order', controls.every((i) => i >= 0), JSON.stringify(controls));

  // Print: an A4 page wide, tables instead of charts.
  await page.setViewportSize({ width: 718, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  const print = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    charts: [...document.querySelectorAll('.chart')].filter((c) => c.offsetParent !== null).length,
    tables: [...document.querySelectorAll('.panel table')].filter((c) => c.offsetParent !== null).length,
  }));
  check('the print view fits the width of an A4 page', print.overflow <= 0, `${print.overflow}px over`);
  check('the print view shows the tables', print.tables >= 5 && print.charts === 0, JSON.stringify(print));
  await page.screenshot({ path: join(SHOTS, 'print-a4.png'), fullPage: true });
  await page.emulateMedia({ media: null }); // page.pdf prints with print media unless told otherwise
  // Each panel's own print button prints it alone on one A4 page.
  // The page count of a PDF: the /Count of its page tree's root.
  const pages = (pdf) => Math.max(0, ...[...pdf.toString('latin1').matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)].map((m) => +(m[1] ?? m[2])));
  const whole = pages(await page.pdf({ format: 'A4', preferCSSPageSize: true, path: join(SHOTS, 'dashboard-a4.pdf') }));
  console.log(`info the whole dashboard prints on ${whole} A4 pages`);
  for (const id of Object.keys(PANELS)) {
    await page.evaluate((p) => (document.body.dataset.print = p), id);
    const n = pages(await page.pdf({ format: 'A4', preferCSSPageSize: true, path: join(SHOTS, `print-${id}.pdf`) }));
    check(`the ${id} panel prints on one A4 page`, n === 1, `${n} pages`);
  }
  await page.evaluate(() => delete document.body.dataset.print);
  check('every panel has a print button', (await page.locator('.panel button[data-print]').count()) === 5);
  await page.setViewportSize({ width: 1280, height: 900 });

  // A reload keeps the unit and period of the address, and each panel asks once.
  await oneRequestPerPanel(page, 'reloading the page', () => page.reload());
  check('a reload keeps the unit and period', (await text(page, '.unit-title')) === 'Đảng bộ xã Tân Lập' && (await text(page, '[data-testid=progress-own]')) === '20 / 25', await text(page, '[data-testid=progress-own]'));

  // A stale access token: the first request (the unit list) answers UNAUTHENTICATED, the
  // client refreshes once with its refresh token and retries it; the panels, which wait for
  // the unit list, each ask once with the new token.
  await page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem('ketnap.session'));
    s.accessToken = 'stale.' + s.accessToken.slice(6);
    sessionStorage.setItem('ketnap.session', JSON.stringify(s));
  });
  const fromStale = mark();
  await page.reload();
  await page.waitForSelector('#panel-progress');
  await panelsSettled(page);
  const stale = opsSince(fromStale);
  check(
    'a refused token is refreshed once and the panels load, one request each',
    stale.RefreshSession === 1 && stale.DashboardScope === 2 && Object.values(PANELS).every((op) => stale[op] === 1) && (await page.locator('.panel .error').count()) === 0,
    JSON.stringify(stale),
  );
  await page.waitForSelector('[data-testid=live].on', { timeout: 10_000 }).catch(() => {});
  check('live updates reconnect with the refreshed token', (await page.locator('[data-testid=live].on').count()) === 1);

  // Sign out.
  const fromOut = mark();
  await page.click('text=Đăng xuất');
  await page.waitForSelector('form.signin');
  check('sign-out sends the logout mutation', requests.slice(fromOut).some((r) => r.op === 'SignOut'));
  check('sign-out clears the session', (await page.evaluate(() => sessionStorage.getItem('ketnap.session'))) === null);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  check('no token is kept in localStorage', !/eyJ|refresh/i.test(stored), stored);

  // demo.branch: its branch only.
  await signIn(page, 'demo.branch');
  await panelsSettled(page);
  const branchOptions = await page.locator('select[data-testid=unit] option').allTextContents();
  check('demo.branch’s picker offers only its branch', branchOptions.length === 1 && /Nà Lầu/.test(branchOptions[0]), branchOptions.join(' | '));
  await page.screenshot({ path: join(SHOTS, 'branch.png'), fullPage: true });
  await page.click('text=Đăng xuất');
  await page.waitForSelector('form.signin');

  // A phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const mobile = await phone.newPage();
  watch(mobile);
  await mobile.goto(`${BASE}/dashboard/#/?k=year&y=2023`);
  await mobile.waitForSelector('form.signin');
  await signIn(mobile, 'demo.commune');
  await panelsSettled(mobile);
  const wide = await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check('on a phone nothing overflows sideways', wide <= 0, `${wide}px over`);
  check('demo.commune 2023 on a phone: Tân Lập', (await text(mobile, '.unit-title')) === 'Đảng bộ xã Tân Lập');
  await mobile.screenshot({ path: join(SHOTS, 'phone.png'), fullPage: true });
  await mobile.screenshot({ path: join(SHOTS, 'phone-top.png') });
  await mobile.click('text=Đăng xuất');
  await mobile.waitForSelector('form.signin');
  await phone.close();

  check('no request leaves the server’s origin', foreign.length === 0, foreign.slice(0, 5).join(', '));
  check('no console errors', consoleErrors.length === 0, consoleErrors.slice(0, 5).join(' | '));
  await context.close();
} catch (e) {
  check('the run completes', false, e.stack ?? String(e));
} finally {
  await browser.close();
}

console.log(`screenshots in ${SHOTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
