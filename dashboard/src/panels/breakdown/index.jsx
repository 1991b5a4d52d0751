// Who the new members are: age bands (18–30 first), gender, ethnic minorities, education,
// professional level and source organisation, each share with its numerator and denominator.
import { usePanel, PCT } from '../../api/usePanel.js';
import { Panel, Figure, Stat } from '../../components/Panel.jsx';
import { Chart, barOption } from '../../components/Chart.jsx';
import { t, fmtInt, fmtPct, label, fmtPeriod } from '../../i18n.js';

const BUCKET = `key count share { ${PCT} } suppressed`;
const QUERY = `query DashboardBreakdown($unitId: ID!, $period: ReportPeriodInput!) {
  newMemberBreakdown(unitId: $unitId, period: $period) {
    period { from to }
    total
    suppressed
    aged18To30 { ${PCT} }
    women { ${PCT} }
    ethnicMinorities { ${PCT} }
    collegeOrUniversity { ${PCT} }
    postgraduate { ${PCT} }
    returnedSoldiers { ${PCT} }
    ageBands { ${BUCKET} }
    gender { ${BUCKET} }
    ethnicity { ${BUCKET} }
    generalEducation { ${BUCKET} }
    professionalLevel { ${BUCKET} }
    sourceOrganisation { ${BUCKET} }
  }
}`;

const DIMENSIONS = ['ageBands', 'gender', 'ethnicity', 'generalEducation', 'professionalLevel', 'sourceOrganisation'];
const HEADLINES = ['aged18To30', 'women', 'ethnicMinorities', 'collegeOrUniversity', 'postgraduate', 'returnedSoldiers'];

const ratio = (p) => (p ? `${fmtInt(p.numerator)} / ${fmtInt(p.denominator)}` : t('suppressed'));

export function BreakdownPanel({ unitId, period, params, refreshKey }) {
  const [state, retry] = usePanel(QUERY, { unitId, period }, refreshKey);
  return (
    <Panel
      id="breakdown"
      title={t('breakdownTitle')}
      state={state}
      onRetry={retry}
      exports={[{ report: 'new-member-breakdown', params: { unitId, ...params, decimals: 1 } }]}
    >
      {({ newMemberBreakdown: r }) => <Body r={r} />}
    </Panel>
  );
}

function Body({ r }) {
  if (r.total === 0) return <p class="muted">{fmtPeriod(r.period)}: {t('noData')}</p>;
  return (
    <>
      <p class="period-label">
        {fmtPeriod(r.period)} · {t('total')}: <strong>{fmtInt(r.total)}</strong>
      </p>
      {r.suppressed && <p class="note">{t('suppressedNote')}</p>}
      <div class="stats">
        {HEADLINES.map((k) => (
          <Stat key={k} label={t(k)} value={fmtPct(r[k])} sub={ratio(r[k])} />
        ))}
      </div>
      <div class="grid-2">
        {DIMENSIONS.map((dim) => (
          <Dimension key={dim} dim={dim} buckets={r[dim]} />
        ))}
      </div>
    </>
  );
}

function Dimension({ dim, buckets }) {
  const rows = buckets.map((b) => ({
    name: label(dim, b.key),
    value: b.count ?? 0,
    color: dim === 'ageBands' && b.key === '18_30' ? '#a50e0e' : '#c65d1e',
    barLabel: b.suppressed ? t('suppressed') : `${fmtInt(b.count)} (${fmtPct(b.share)})`,
    tip: b.suppressed ? t('suppressed') : `${ratio(b.share)} = ${fmtPct(b.share)}`,
  }));
  return (
    <Figure
      caption={t(dim)}
      chart={<Chart height={Math.max(90, rows.length * 30 + 24)} label={t(dim)} option={barOption(rows, { valueFmt: fmtInt })} />}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{t(dim)}</th>
              <th scope="col" class="num">{t('count')}</th>
              <th scope="col" class="num">{t('share')}</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.key}>
                <th scope="row">{label(dim, b.key)}</th>
                <td class="num">{b.suppressed ? t('suppressed') : fmtInt(b.count)}</td>
                <td class="num">{b.suppressed ? '' : `${fmtPct(b.share)} (${ratio(b.share)})`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
