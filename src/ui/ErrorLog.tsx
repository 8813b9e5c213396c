/**
 * Failed calls, each as "what was being done — ErrorName: message", in an
 * aria-live region so screen readers announce them.
 */
import { memo } from 'react';

/** One failure shown to the person. */
export interface ShownError {
  /** Unique id (for keys and dismissal). */
  id: number;
  /** What the playground was doing. */
  context: string;
  /** The error's class name (StructureMismatchError, CheckpointCorruptError, …). */
  name: string;
  /** The error's message. */
  message: string;
}

/** Props of ErrorLog. */
export interface ErrorLogProps {
  /** Errors to show, oldest first. */
  errors: ShownError[];
  /** Removes one. */
  onDismiss: (id: number) => void;
}

/** The aria-live list of errors. */
export const ErrorLog = memo(function ErrorLog({ errors, onDismiss }: ErrorLogProps) {
  return (
    <div className="errors" aria-live="assertive" aria-relevant="additions text" role="log" aria-label="Errors">
      {errors.map((e) => (
        <div className="error" key={e.id} data-error-name={e.name}>
          <p><strong>{e.context}</strong> — <span className="error-name">{e.name}</span>: {e.message}</p>
          <button type="button" className="small" onClick={() => onDismiss(e.id)} aria-label={`Dismiss error: ${e.name}`}>Dismiss</button>
        </div>
      ))}
    </div>
  );
});
