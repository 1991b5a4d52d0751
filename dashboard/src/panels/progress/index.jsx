// Progress against target: the unit's admissions against its target and the same period a
// year earlier, and every child unit ranked by share of target.
import { usePanel, PCT } from '../../api/usePanel.js';
import { Panel, Figure, Stat } from '../../components/Panel.jsx';
import { Chart, barOption } from '../../components/Chart.jsx';
import { t, fmtInt, fmtPct, fmtSigned, fmtPeriod } from '../../i18n.js';

const QUERY = `query DashboardProgress($unitId: ID!, $period: ReportPeriodInput!) {
  admissionProgress(unitId: $unitId, period: $period) {
    period { from to }
    targetBasis
    own { admitted target ofTarget { ${PCT} } expectedByNow behindTarget }
    childrenTargetSum
    samePeriodLastYear
    change
    changePercent { ${PCT} }
    children { rank unit { id code name } admitted target ofTarget { ${PCT} } expectedByNow behindTarget }
  }
}`;

export function ProgressPanel({ unitId, period, params, refreshKey }) {
  const [state, retry] = usePanel(QUERY, { unitId, period }, refreshKey);
  return (
    <Panel
      id="progress"
      title={t('progressTitle')}
      state={state}
      onRetry={retry}
      exports={[{ report: 'admission-progress', params: { unitId, ...params, decimals: 1 } }]}
    >
      {({ admissionProgress: r }) => <Body r={r} />}
    </Panel>
  );
}

function Body({ r }) {
  const own = r.own;
  const share = own.ofTarget;
  // Share of target where targets are set; the admissions alone where none of the units has one.
  const anyTarget = r.children.some((c) => c.target != null);
  const rows = r.children.map((c) => {
    const name = c.unit?.name ?? t('hiddenUnit');
    return {
      name,
      value: anyTarget ? (c.ofTarget?.value ?? 0) : c.admitted,
      color: c.target == null ? '#8a8a8a' : c.behindTarget ? '#b3261e' : '#1b6e3a',
      barLabel: !anyTarget ? fmtInt(c.admitted) : c.target == null ? t('noTarget') : `${fmtPct(c.ofTarget)}${c.behindTarget ? ' ▼' : ''}`,
      tip: c.target == null
        ? `${t('admitted')}: ${fmtInt(c.admitted)} · ${t('noTarget')}`
        : `${fmtInt(c.ofTarget.numerator)} / ${fmtInt(c.ofTarget.denominator)} = ${fmtPct(c.ofTarget)}${c.behindTarget ? ` · ${t('behind')}` : ''}`,
    };
  });
  return (
    <>
      <p class="period-label">{fmtPeriod(r.period)}</p>
      <div class="stats">
        <Stat
          label={t('admitted')}
          value={<span data-testid="progress-own">{fmtInt(own.admitted)} / {own.target == null ? '–' : fmtInt(own.target)}</span>}
          sub={own.target == null ? t('noTarget') : `${t('target')}: ${fmtInt(own.target)}`}
        />
        <Stat
          label={t('ofTarget')}
          value={<span data-testid="progress-share">{fmtPct(share)}</span>}
          sub={own.target == null ? null : own.behindTarget ? `▼ ${t('behind')} (${t('expectedByNow')}: ${fmtInt(own.expectedByNow)})` : `✓ ${t('onTrack')}`}
          tone={own.target == null ? '' : own.behindTarget ? 'bad' : 'good'}
        />
        <Stat
          label={t('lastYear')}
          value={fmtInt(r.samePeriodLastYear)}
          sub={`${t('change')}: ${fmtSigned(r.change)}${r.changePercent?.value != null ? ` (${fmtSigned(r.changePercent.value)} %)` : ''}`}
        />
      </div>
      {r.children.length > 0 && (
        <Figure
          caption={anyTarget ? t('childUnits') : `${t('childUnitsAdmitted')} (${t('noTarget').toLowerCase()})`}
          chart={
            <Chart
              height={Math.max(120, rows.length * 34 + 30)}
              label={anyTarget ? t('childUnits') : t('childUnitsAdmitted')}
              option={anyTarget ? barOption(rows, { unit: ' %', markAt: 100, valueFmt: fmtInt }) : barOption(rows, { valueFmt: fmtInt })}
            />
          }
          table={
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('rank')}</th>
                  <th scope="col">{t('unitName')}</th>
                  <th scope="col" class="num">{t('admitted')}</th>
                  <th scope="col" class="num">{t('target')}</th>
                  <th scope="col" class="num">{t('ofTarget')}</th>
                  <th scope="col">{t('behind')}</th>
                </tr>
              </thead>
              <tbody>
                {r.children.map((c, i) => (
                  <tr key={c.unit?.id ?? i} class={c.behindTarget ? 'behind' : ''}>
                    <td>{c.rank ?? '–'}</td>
                    <th scope="row">{c.unit?.name ?? t('hiddenUnit')}</th>
                    <td class="num">{fmtInt(c.admitted)}</td>
                    <td class="num">{c.target == null ? '–' : fmtInt(c.target)}</td>
                    <td class="num">{fmtPct(c.ofTarget)}</td>
                    <td>{c.target == null ? t('noTarget') : c.behindTarget ? `▼ ${t('behind')}` : '✓'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
      )}
    </>
  );
}
