// A candidate's timeline, opened from an overdue deadline: the stage, the key dates, the
// resolutions and decisions, and every recorded act — one query document.
import { usePanel } from '../api/usePanel.js';
import { Panel } from '../components/Panel.jsx';
import { t, fmtDate, fmtDateTime, fmtInt, label, actLabel } from '../i18n.js';

const QUERY = `query DashboardCandidate($id: ID!) {
  candidate(id: $id) {
    id fullName stage branch { name }
    listedOn branchResolutionOn joinedOn probationEndsOn officialOn exitedOn exitReason
    nextDeadline { kind dueOn overdue }
    resolutions { kind resolvedOn votesFor eligibleVoters approved unit { name } }
    decisions { kind signedOn number unit { name } }
    timeline { id act occurredAt actorRole }
  }
}`;

// The branch's resolution is listed with the other resolutions, with its vote.
const DATES = ['listedOn', 'joinedOn', 'probationEndsOn', 'officialOn'];

export function Timeline({ id, back = '#/' }) {
  const [state, retry] = usePanel(QUERY, { id }, 0);
  return (
    <div class="timeline-view">
      <p class="no-print">
        <a href={back} class="back">
          {t('back')}
        </a>
      </p>
      <Panel id="candidate" title={t('timelineTitle')} state={state} onRetry={retry}>
        {({ candidate: c }) =>
          !c ? (
            <p class="error" role="alert">NOT_FOUND</p>
          ) : (
            <>
              <h3 class="candidate-name">{c.fullName}</h3>
              <dl class="facts">
                <dt>{t('currentStage')}</dt>
                <dd>{label('stage', c.stage)}</dd>
                <dt>{t('branch')}</dt>
                <dd>{c.branch?.name ?? '–'}</dd>
                {c.nextDeadline && (
                  <>
                    <dt>{t('nextDeadline')}</dt>
                    <dd class={c.nextDeadline.overdue ? 'bad-text' : ''}>
                      {label('deadline', c.nextDeadline.kind)} · {fmtDate(c.nextDeadline.dueOn)}
                      {c.nextDeadline.overdue && ` (${t('overdue')})`}
                    </dd>
                  </>
                )}
              </dl>
              <h3>{t('keyDates')}</h3>
              <ol class="steps">
                {DATES.filter((k) => c[k]).map((k) => (
                  <li key={k}>
                    <time datetime={c[k]}>{fmtDate(c[k])}</time> {t(k)}
                  </li>
                ))}
                {c.resolutions.map((r, i) => (
                  <li key={`r${i}`}>
                    <time datetime={r.resolvedOn}>{fmtDate(r.resolvedOn)}</time> {label('resolution', r.kind)} — {r.unit?.name ?? '–'}:{' '}
                    {t('votes')} {fmtInt(r.votesFor)}/{fmtInt(r.eligibleVoters)}, {r.approved ? t('approved') : t('notApproved')}
                  </li>
                ))}
                {c.decisions.map((d, i) => (
                  <li key={`d${i}`}>
                    <time datetime={d.signedOn}>{fmtDate(d.signedOn)}</time> {label('decision', d.kind)} {d.number ?? ''} — {d.unit?.name ?? '–'}
                  </li>
                ))}
              </ol>
              <h3>{t('acts')}</h3>
              <table class="plain" data-testid="timeline">
                <thead>
                  <tr>
                    <th scope="col">{t('recordedAt')}</th>
                    <th scope="col">{t('act')}</th>
                    <th scope="col">{t('by')}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.timeline.map((e) => (
                    <tr key={e.id}>
                      <td>{fmtDateTime(e.occurredAt)}</td>
                      <td>{actLabel(e.act)}</td>
                      <td>{label('role', e.actorRole)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </Panel>
    </div>
  );
}
