/**
 * What the playground tells the person besides its panels: failed calls in
 * the error log (the latest few, each dismissable) and one status line.
 */
import { useCallback, useRef, useState } from 'react';
import type { ShownError } from './ErrorLog';
import { asError } from './playground';

/** Errors kept on screen; older ones drop off so the log never pushes the page down far. */
const ERRORS_SHOWN_MAX = 5;

/** The error log and the status line, and the ways to add to them. */
export interface Messages {
  /** Errors to show, oldest first. */
  errors: ShownError[];
  /** The status line. */
  notice: string;
  /** Adds a failure to the log: what was being done, and the error. */
  reportError: (context: string, e: unknown) => void;
  /** Removes one error from the log. */
  dismissError: (id: number) => void;
  /** Replaces the status line ('' clears it). */
  notify: (text: string) => void;
}

/** Owns the error log and the status line. */
export function useMessages(): Messages {
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [notice, setNotice] = useState('');
  const lastId = useRef(0);

  const reportError = useCallback((context: string, e: unknown) => {
    const err = asError(e);
    const shown: ShownError = { id: ++lastId.current, context, name: err.name || 'Error', message: err.message };
    setErrors((list) => [...list.slice(-(ERRORS_SHOWN_MAX - 1)), shown]);
  }, []);
  const dismissError = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);
  const notify = useCallback((text: string) => setNotice(text), []);

  return { errors, notice, reportError, dismissError, notify };
}
