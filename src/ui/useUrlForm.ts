/**
 * The configuration form and the page's URL, kept in step: the form starts
 * from the URL, and every change to it (a control, or a found run's config)
 * rewrites the URL in place, so the address bar is always a link to the run.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { BackendName, FieldProblem, Pitfall, RunConfig } from '../core/config';
import { formFromConfig, formFromSearch, parseForm, searchFromForm, startBackend, type ConfigForm } from './urlConfig';

/** The form, what it parses to, and the ways to change it. */
export interface UrlForm {
  /** Text of every field, as typed. */
  form: ConfigForm;
  /** The config the form describes (null while any field is refused) and every problem. */
  parsed: { config: RunConfig | null; problems: FieldProblem[] };
  /** The backend the page's URL asked for when it loaded, to start the engine on. */
  startBackend: BackendName;
  /** Sets one field's text. */
  changeField: (field: keyof RunConfig, value: string) => void;
  /** Sets the pitfall. */
  changePitfall: (p: Pitfall) => void;
  /** Replaces the whole form with a config (a found run's). */
  adoptConfig: (config: RunConfig) => void;
}

function writeUrl(form: ConfigForm): void {
  history.replaceState(history.state, '', `${location.pathname}${searchFromForm(form, location.search)}${location.hash}`);
}

/** Owns the form text, parsed on every change and mirrored into the URL. */
export function useUrlForm(): UrlForm {
  const [initial] = useState(() => formFromSearch(location.search));
  const [form, setForm] = useState(initial);
  // The latest form for handlers, so that each change builds on the one before without a state updater with side effects.
  const latest = useRef(initial);
  const parsed = useMemo(() => parseForm(form), [form]);

  const commit = useCallback((next: ConfigForm) => {
    latest.current = next;
    setForm(next);
    writeUrl(next);
  }, []);
  const changeField = useCallback((field: keyof RunConfig, value: string) => commit({ ...latest.current, [field]: value }), [commit]);
  const changePitfall = useCallback((p: Pitfall) => changeField('pitfall', p), [changeField]);
  const adoptConfig = useCallback((config: RunConfig) => commit(formFromConfig(config)), [commit]);

  return { form, parsed, startBackend: startBackend(initial), changeField, changePitfall, adoptConfig };
}
