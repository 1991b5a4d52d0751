// Live figures: the reportFiguresChanged subscription over graphql-transport-ws on the same
// origin's /graphql, signed in through connection_init; the caller falls back to an interval
// while it is not connected.
import { createClient } from 'graphql-ws';
import { accessToken, currentSession, onSession } from './client.js';

const SUBSCRIPTION = `subscription DashboardLive($unitId: ID) {
  reportFiguresChanged(unitId: $unitId) { reports changedUnitId occurredAt }
}`;

/**
 * Subscribes to figure changes of unitId. onChange(reports) gets the list of changed reports;
 * onStatus(connected) says whether events can arrive. Returns a function that stops it.
 */
export function watchFigures(unitId, onChange, onStatus) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  let stopped = false;
  let sent = null; // the token of the last connection_init
  let rejected = false; // closed with 4401: wait for another token
  let client = null;
  let unsubscribe = () => {};

  const start = () => {
    rejected = false;
    client = createClient({
      url: `${scheme}://${location.host}/graphql`,
      retryAttempts: Infinity,
      // 4401: the token was refused; the server says not to retry with it.
      shouldRetry: (event) => !stopped && currentSession() !== null && event?.code !== 4401,
      retryWait: async (retries) => new Promise((r) => setTimeout(r, Math.min(30_000, 1_000 * 2 ** retries))),
      connectionParams: async () => {
        sent = await accessToken();
        return { authorization: `Bearer ${sent}` };
      },
      on: {
        connected: () => onStatus(true),
        closed: (event) => {
          onStatus(false);
          if (event?.code === 4401) rejected = true;
        },
        error: () => onStatus(false),
      },
    });
    unsubscribe = client.subscribe(
      { query: SUBSCRIPTION, variables: { unitId } },
      {
        next: ({ data }) => data?.reportFiguresChanged && onChange(data.reportFiguresChanged.reports),
        error: () => onStatus(false),
        complete: () => onStatus(false),
      },
    );
  };

  // After a 4401, a refreshed session gets a new connection.
  const off = onSession((s) => {
    if (!stopped && rejected && s && s.accessToken !== sent) {
      unsubscribe();
      client.dispose();
      start();
    }
  });
  start();
  return () => {
    stopped = true;
    off();
    unsubscribe();
    client.dispose();
  };
}
