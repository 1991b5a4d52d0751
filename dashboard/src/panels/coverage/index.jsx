// Residential coverage: villages with no member, with 1–2 members, with no branch, whose head
// is not a member, and the change against a chosen year.
import { useState } from 'preact/hooks';
import { usePanel, PCT } from '../../api/usePanel.js';
import { Panel, Figure, Stat } from '../../components/Panel.jsx';
import { Chart, escapeHtml } from '../../components/Chart.jsx';
import { t, fmtInt, fmtPct, fmtSigned } from '../../i18n.js';

const COVERAGE = `areas withoutMember withOneOrTwoMembers withoutBranch headNotMember
  withoutMemberShare { ${PCT} } withOneOrTwoMembersShare { ${PCT} } withoutBranchShare { ${PCT} } headNotMemberShare { ${PCT} }`;
const QUERY = `query DashboardCoverage($unitId: ID!, $year: Int!, $compareYear: Int) {
  residentialCoverage(unitId: $unitId, year: $year, compareYear: $compareYear) {
    year
    compareYear
    current { ${COVERAGE} }
    previous { ${COVERAGE} }
    change { areas withoutMember withOneOrTwoMembers withoutBranch headNotMember }
  }
}`;

const MEASURES = ['withoutMember', 'withOneOrTwoMembers', 'withoutBranch', 'headNotMember'];

export function CoveragePanel({ unitId, year, refreshKey }) {
  const [compare, setCompare] = useState(null);
  const compareYear = compare && compare < year ? compare : year - 1;
  const [state, retry] = usePanel(QUERY, { unitId, year, compareYear }, refreshKey);
  const years = Array.from({ length: 10 }, (_, i) => year - 1 - i);
  return (
    <Panel
      id="coverage"
      title={t('coverageTitle')}
      state={state}
      onRetry={retry}
      exports={[{ report: 'residential-coverage', params: { unitId, year, compareYear, decimals: 1 } }]}
      extra={
        <label class="inline">
          {t('compareYear')}{' '}
          <select value={compareYear} onChange={(e) => setCompare(+e.currentTarget.value)}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {({ residentialCoverage: r }) => <Body r={r} />}
    </Panel>
  );
}

function Body({ r }) {
  const share = (c, m) => c[`${m}Share`];
  const option = {
    grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0, data: [String(r.year), String(r.compareYear)] },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => {
        const c = p.seriesIndex === 0 ? r.current : r.previous;
        const s = share(c, MEASURES[p.dataIndex]);
        return `${escapeHtml(p.name)} (${p.seriesName})<br/>${fmtInt(s?.numerator)} / ${fmtInt(s?.denominator)} = ${fmtPct(s)}`;
      },
    },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: MEASURES.map((m) => t(m)), axisLabel: { width: 150, overflow: 'truncate', color: '#222' } },
    series: [
      { name: String(r.year), type: 'bar', data: MEASURES.map((m) => r.current[m]), itemStyle: { color: '#a50e0e' }, label: { show: true, position: 'right' } },
      { name: String(r.compareYear), type: 'bar', data: MEASURES.map((m) => r.previous[m]), itemStyle: { color: '#8a8a8a' }, label: { show: true, position: 'right' } },
    ],
  };
  return (
    <>
      <div class="stats">
        <Stat label={t('areas')} value={fmtInt(r.current.areas)} sub={`${r.compareYear}: ${fmtInt(r.previous.areas)}`} />
        {MEASURES.map((m) => (
          <Stat
            key={m}
            label={t(m)}
            value={fmtInt(r.current[m])}
            sub={`${fmtPct(share(r.current, m))} · ${t('change')} ${fmtSigned(r.change[m])}`}
            tone={r.change[m] > 0 ? 'bad' : r.change[m] < 0 ? 'good' : ''}
          />
        ))}
      </div>
      <Figure
        caption={`${t('coverageTitle')}: ${r.year} / ${r.compareYear}`}
        chart={<Chart height={220} label={t('coverageTitle')} option={option} />}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t('measure')}</th>
                <th scope="col" class="num">{r.year}</th>
                <th scope="col" class="num">{r.compareYear}</th>
                <th scope="col" class="num">{t('change')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{t('areas')}</th>
                <td class="num">{fmtInt(r.current.areas)}</td>
                <td class="num">{fmtInt(r.previous.areas)}</td>
                <td class="num">{fmtSigned(r.change.areas)}</td>
              </tr>
              {MEASURES.map((m) => (
                <tr key={m}>
                  <th scope="row">{t(m)}</th>
                  <td class="num">{fmtInt(r.current[m])} ({fmtPct(share(r.current, m))})</td>
                  <td class="num">{fmtInt(r.previous[m])} ({fmtPct(share(r.previous, m))})</td>
                  <td class="num">{fmtSigned(r.change[m])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </>
  );
}
