// The pipeline: candidates per stage, overdue deadlines (each a link to the candidate's
// timeline), candidates without a mentor and certificates expiring — one query document.
import { useState } from 'preact/hooks';
import { usePanel } from '../../api/usePanel.js';
import { Panel, Figure, Stat } from '../../components/Panel.jsx';
import { Chart, barOption } from '../../components/Chart.jsx';
import { t, fmtInt, fmtDate, label } from '../../i18n.js';

const QUERY = `query DashboardPipeline($unitId: ID!, $withinDays: Int!) {
  pipelineSummary(unitId: $unitId, withinDays: $withinDays) {
    asOf
    withinDays
    byStage { stage count }
    overdueDeadlines
    deadlinesComingUp
    withoutMentor
    certificatesExpiring
    dossiersGoingStale
    failedBranchVotes
  }
  deadlines(filter: { withinId: $unitId, overdueOnly: true }, first: 50) {
    totalCount
    nodes { kind dueOn candidate { id fullName stage branch { name } } }
  }
}`;

// Stages where a candidate is still on the path (the others are outcomes).
const OPEN = new Set([
  'SOURCE_LIST', 'BRANCH_APPROVED', 'SECTION_APPRAISED', 'COMMUNE_RESOLVED', 'ADMISSION_DECIDED', 'PROBATIONARY',
  'RECOGNITION_BRANCH_APPROVED', 'RECOGNITION_COMMUNE_RESOLVED', 'RECOGNITION_REFERRED', 'STRIKE_OFF_PROPOSED',
  'STRIKE_OFF_COMMUNE_RESOLVED',
]);

export function PipelinePanel({ unitId, refreshKey }) {
  const [withinDays, setWithinDays] = useState(30);
  const [state, retry] = usePanel(QUERY, { unitId, withinDays }, refreshKey);
  return (
    <Panel
      id="pipeline"
      title={t('pipelineTitle')}
      state={state}
      onRetry={retry}
      exports={[{ report: 'pipeline-summary', params: { unitId, withinDays } }]}
      extra={
        <label class="inline">
          {t('withinDays')}{' '}
          <select value={withinDays} onChange={(e) => setWithinDays(+e.currentTarget.value)}>
            {[7, 14, 30, 60, 90].map((d) => (
              <option key={d} value={d}>
                {d} {t('days')}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {(data) => <Body s={data.pipelineSummary} deadlines={data.deadlines} />}
    </Panel>
  );
}

function Body({ s, deadlines }) {
  const [all, setAll] = useState(false);
  const stages = s.byStage.filter((x) => all || OPEN.has(x.stage));
  const rows = stages.map((x) => ({
    name: label('stage', x.stage),
    value: x.count,
    barLabel: fmtInt(x.count),
    tip: fmtInt(x.count),
    color: '#c65d1e',
  }));
  return (
    <>
      <p class="period-label">
        {t('asOf')} {fmtDate(s.asOf)}
      </p>
      <div class="stats">
        <Stat label={t('overdueDeadlines')} value={fmtInt(s.overdueDeadlines)} tone={s.overdueDeadlines > 0 ? 'bad' : ''} />
        <Stat label={t('deadlinesComingUp')} value={fmtInt(s.deadlinesComingUp)} sub={`${s.withinDays} ${t('days')}`} />
        <Stat label={t('withoutMentor')} value={fmtInt(s.withoutMentor)} tone={s.withoutMentor > 0 ? 'warn' : ''} />
        <Stat label={t('certificatesExpiring')} value={fmtInt(s.certificatesExpiring)} sub={`${s.withinDays} ${t('days')}`} />
        <Stat label={t('dossiersGoingStale')} value={fmtInt(s.dossiersGoingStale)} sub={`${s.withinDays} ${t('days')}`} />
        <Stat label={t('failedBranchVotes')} value={fmtInt(s.failedBranchVotes)} />
      </div>
      <h3>{t('overdueList')}</h3>
      {deadlines.nodes.length === 0 ? (
        <p class="muted">{t('noOverdue')}</p>
      ) : (
        <table class="plain" data-testid="overdue">
          <thead>
            <tr>
              <th scope="col">{t('candidate')}</th>
              <th scope="col">{t('deadline')}</th>
              <th scope="col">{t('dueOn')}</th>
              <th scope="col">{t('branch')}</th>
            </tr>
          </thead>
          <tbody>
            {deadlines.nodes.map((d, i) => (
              <tr key={d.candidate?.id ?? i}>
                <th scope="row">
                  {d.candidate ? <a href={`#/candidate/${encodeURIComponent(d.candidate.id)}`}>{d.candidate.fullName}</a> : '–'}
                </th>
                <td>{label('deadline', d.kind)}</td>
                <td class="bad-text">{fmtDate(d.dueOn)}</td>
                <td>{d.candidate?.branch?.name ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Figure
        caption={t('byStage')}
        chart={<Chart height={Math.max(100, rows.length * 28 + 24)} label={t('byStage')} option={barOption(rows, { valueFmt: fmtInt })} />}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t('stage')}</th>
                <th scope="col" class="num">{t('count')}</th>
              </tr>
            </thead>
            <tbody>
              {stages.map((x) => (
                <tr key={x.stage}>
                  <th scope="row">{label('stage', x.stage)}</th>
                  <td class="num">{fmtInt(x.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <label class="inline no-print">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> {t('includeFinished')}
      </label>
    </>
  );
}
