// One panel, one query document: a single request each time the variables or the refresh
// counter change.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { gql } from './client.js';

export function usePanel(query, variables, refreshKey) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [retry, setRetry] = useState(0);
  const seq = useRef(0);
  const vars = JSON.stringify(variables);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    gql(query, JSON.parse(vars)).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (error) => mine === seq.current && setState({ data: null, error, loading: false }),
    );
  }, [query, vars, refreshKey, retry]);
  const again = useCallback(() => setRetry((n) => n + 1), []);
  return [state, again];
}

/** The fields asked of every Percentage: numerator, denominator and the value to one decimal. */
export const PCT = 'numerator denominator value(decimals: 1)';
