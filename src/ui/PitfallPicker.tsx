/**
 * The pitfall picker: a radio group of the classic checkpointing mistakes,
 * each with one sentence on what goes wrong and why. The choice applies to
 * the next run (it changes how phase 2 saves and phase 3 restores). When the
 * chosen mistake cannot change anything with the chosen settings, or may
 * not, the picker says so before the run and offers the nearest setting
 * where it bites.
 */
import { memo } from 'react';
import { PITFALLS, type OptimizerKind, type Pitfall, type RunConfig } from '../core/config';
import { pitfallEffect, type PitfallEffect } from '../core/pitfalls';
import { PITFALL_INFO } from './pitfalls';

/** Props of PitfallPicker. */
export interface PitfallPickerProps {
  /** The form's pitfall field (no radio is checked if it names none of PITFALLS). */
  value: string;
  /** The form's optimizer field, which decides whether some pitfalls can bite. */
  optimizer: string;
  /** Called with the new choice. */
  onChange: (p: Pitfall) => void;
  /** Applies the nearest setting where the pitfall bites: another optimizer, or a later crash step. */
  onNearest: (nearest: NonNullable<PitfallEffect['nearest']>) => void;
  /** True while a run is in progress. */
  disabled: boolean;
}

/** A radio group of the engine's pitfalls with an explanation under each, and a warning when the chosen one cannot bite. */
export const PitfallPicker = memo(function PitfallPicker({ value, optimizer, onChange, onNearest, disabled }: PitfallPickerProps) {
  const effect = (PITFALLS as readonly string[]).includes(value)
    ? pitfallEffect({ pitfall: value as Pitfall, optimizer: optimizer as OptimizerKind } satisfies Pick<RunConfig, 'pitfall' | 'optimizer'>) : null;
  return (
    <fieldset className="card pitfalls" disabled={disabled}>
      <legend>Pitfall to reproduce</legend>
      <p className="hint">Break the restore on purpose and watch the resumed curve leave the reference.</p>
      {PITFALLS.map((p) => {
        const info = PITFALL_INFO[p];
        const id = `pitfall-${p}`;
        const warn = value === p && effect && effect.bites !== 'always' ? effect : null;
        return (
          <div className={`radio${value === p ? ' checked' : ''}`} key={p}>
            <input type="radio" id={id} name="pitfall" value={p} checked={value === p}
              onChange={() => onChange(p)} aria-describedby={`${id}-what${warn ? ` ${id}-warn` : ''}`} />
            <label htmlFor={id}>{info.label}</label>
            <p className="hint" id={`${id}-what`}>{info.what}</p>
            {warn && (
              <div className="pitfall-warn" id={`${id}-warn`} role="note" data-testid="pitfall-warning">
                <p>
                  <span aria-hidden="true">⚠ </span>
                  {warn.bites === 'never' ? 'Cannot bite with these settings: ' : 'May not show with these settings: '}{warn.why}
                </p>
                {warn.nearest && (
                  <button type="button" className="small" onClick={() => onNearest(warn.nearest!)}>{warn.nearest.text}</button>
                )}
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
});
