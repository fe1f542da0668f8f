// Small hooks shared by the pages: login state, and "load this from the API".
import { useCallback, useEffect, useState } from "react";

import { getAccessToken, onAuthChange } from "./api/auth";
import { ApiError } from "./api/errors";

/** True while an access token is in memory; re-renders on log in and log out. */
export function useLoggedIn(): boolean {
  const [loggedIn, setLoggedIn] = useState(getAccessToken() !== null);
  useEffect(() => onAuthChange(setLoggedIn), []);
  return loggedIn;
}

type Load<T> = { data: T | null; error: ApiError | null; loading: boolean; reload: () => void };

/** Run `load` now and whenever `deps` change; the page renders data, error or "Loading". */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Load<T> {
  const [state, setState] = useState<Omit<Load<T>, "reload">>({
    data: null,
    error: null,
    loading: true,
  });
  const [version, setVersion] = useState(0);
  // The caller lists what `load` depends on, as it would for useEffect.
  const run = useCallback(load, deps);
  useEffect(() => {
    let current = true; // ignore an answer that arrives after the page moved on
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current && setState({ data: null, error: asApiError(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [run, version]);
  return { ...state, reload: () => setVersion((v) => v + 1) };
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "network_error", [
    { code: "network_error", detail: "The shop cannot be reached. Try again.", attr: null },
  ]);
}
