// The funnel (awareness-course graduates → admitted) and the training summary: one query
// document for the panel.
import { usePanel, PCT } from '../../api/usePanel.js';
import { Panel, Figure, Stat } from '../../components/Panel.jsx';
import { Chart, barOption } from '../../components/Chart.jsx';
import { t, fmtInt, fmtPct, fmtPeriod } from '../../i18n.js';

const QUERY = `query DashboardFunnel($unitId: ID!, $period: ReportPeriodInput!) {
  admissionFunnel(unitId: $unitId, period: $period) {
    period { from to }
    trained
    admitted
    conversion { ${PCT} }
    trainedThenAdmitted
    cohortConversion { ${PCT} }
  }
  trainingSummary(unitId: $unitId, period: $period) {
    awareness { courses trained }
    newMember { courses trained }
  }
}`;

const ratio = (p) => `${fmtInt(p.numerator)} / ${fmtInt(p.denominator)}`;

export function FunnelPanel({ unitId, period, params, refreshKey }) {
  const [state, retry] = usePanel(QUERY, { unitId, period }, refreshKey);
  const p = { unitId, ...params, decimals: 1 };
  return (
    <Panel
      id="funnel"
      title={t('funnelTitle')}
      state={state}
      onRetry={retry}
      exports={[
        { report: 'admission-funnel', params: p, name: t('funnelShort') },
        { report: 'training-summary', params: p, name: t('trainingShort') },
      ]}
    >
      {(data) => <Body f={data.admissionFunnel} s={data.trainingSummary} />}
    </Panel>
  );
}

function Body({ f, s }) {
  const steps = [
    { name: t('trained'), value: f.trained },
    { name: t('trainedThenAdmitted'), value: f.trainedThenAdmitted },
    { name: t('admitted'), value: f.admitted },
  ];
  const rows = steps.map((x) => ({ ...x, barLabel: fmtInt(x.value), tip: fmtInt(x.value), color: '#a50e0e' }));
  return (
    <>
      <p class="period-label">{fmtPeriod(f.period)}</p>
      <div class="stats">
        <Stat label={t('trained')} value={fmtInt(f.trained)} />
        <Stat label={t('admitted')} value={fmtInt(f.admitted)} />
        <Stat label={t('conversion')} value={fmtPct(f.conversion)} sub={ratio(f.conversion)} />
        <Stat label={t('cohortConversion')} value={fmtPct(f.cohortConversion)} sub={ratio(f.cohortConversion)} />
      </div>
      <Figure
        caption={t('funnelTitle')}
        chart={<Chart height={140} label={t('funnelTitle')} option={barOption(rows, { valueFmt: fmtInt })} />}
        table={
          <table>
            <tbody>
              {steps.map((x) => (
                <tr key={x.name}>
                  <th scope="row">{x.name}</th>
                  <td class="num">{fmtInt(x.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <h3>{t('trainingTitle')}</h3>
      <table class="plain">
        <thead>
          <tr>
            <th scope="col">{t('course')}</th>
            <th scope="col" class="num">{t('courses')}</th>
            <th scope="col" class="num">{t('people')}</th>
          </tr>
        </thead>
        <tbody>
          {['awareness', 'newMember'].map((k) => (
            <tr key={k}>
              <th scope="row">{t(k)}</th>
              <td class="num">{fmtInt(s[k].courses)}</td>
              <td class="num">{fmtInt(s[k].trained)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
