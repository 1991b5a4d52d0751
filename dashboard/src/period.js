// The report period: a year, a congress term, a date range or year to date, as the API's
// ReportPeriodInput and as the query parameters of the downloads.
export const today = () => new Date().toISOString().slice(0, 10);

export function defaultPeriod() {
  const y = new Date().getFullYear();
  return { kind: 'year', year: y, termStart: 2020, termEnd: 2025, termAsOf: '', from: `${y}-01-01`, to: today(), ytd: today() };
}

export function periodInput(p) {
  switch (p.kind) {
    case 'term':
      return { term: { startYear: +p.termStart, endYear: +p.termEnd, ...(p.termAsOf ? { asOf: p.termAsOf } : {}) } };
    case 'range':
      return { range: { from: p.from, to: p.to } };
    case 'ytd':
      return { yearToDate: p.ytd };
    default:
      return { year: +p.year };
  }
}

export function periodParams(p) {
  switch (p.kind) {
    case 'term':
      return { termStart: p.termStart, termEnd: p.termEnd, ...(p.termAsOf ? { asOf: p.termAsOf } : {}) };
    case 'range':
      return { from: p.from, to: p.to };
    case 'ytd':
      return { asOf: p.ytd };
    default:
      return { year: p.year };
  }
}

/** The year a period ends in (residential coverage is recorded per year). */
export function periodYear(p) {
  switch (p.kind) {
    case 'term':
      return +(p.termAsOf ? p.termAsOf.slice(0, 4) : p.termEnd);
    case 'range':
      return +p.to.slice(0, 4);
    case 'ytd':
      return +p.ytd.slice(0, 4);
    default:
      return +p.year;
  }
}

export function encodePeriod(p) {
  const q = new URLSearchParams({ k: p.kind });
  if (p.kind === 'year') q.set('y', p.year);
  if (p.kind === 'term') {
    q.set('ts', p.termStart);
    q.set('te', p.termEnd);
    if (p.termAsOf) q.set('ta', p.termAsOf);
  }
  if (p.kind === 'range') {
    q.set('f', p.from);
    q.set('t', p.to);
  }
  if (p.kind === 'ytd') q.set('d', p.ytd);
  return q;
}

export function decodePeriod(q) {
  const p = defaultPeriod();
  const kind = q.get('k');
  if (!['year', 'term', 'range', 'ytd'].includes(kind)) return p;
  p.kind = kind;
  const date = (v, d) => (/^\d{4}-\d{2}-\d{2}$/.test(v ?? '') ? v : d);
  const year = (v, d) => (/^\d{4}$/.test(v ?? '') ? +v : d);
  p.year = year(q.get('y'), p.year);
  p.termStart = year(q.get('ts'), p.termStart);
  p.termEnd = year(q.get('te'), p.termEnd);
  p.termAsOf = date(q.get('ta'), '');
  p.from = date(q.get('f'), p.from);
  p.to = date(q.get('t'), p.to);
  p.ytd = date(q.get('d'), p.ytd);
  return p;
}
