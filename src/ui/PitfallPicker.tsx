/**
 * The pitfall picker: a radio group of the classic checkpointing mistakes,
 * each with one sentence on what goes wrong and why. The choice applies to
 * the next run (it changes how phase 2 saves and phase 3 restores).
 */
import { memo } from 'react';
import { PITFALLS, type Pitfall } from '../core/config';
import { PITFALL_INFO } from './pitfalls';

/** Props of PitfallPicker. */
export interface PitfallPickerProps {
  /** The form's pitfall field (no radio is checked if it names none of PITFALLS). */
  value: string;
  /** Called with the new choice. */
  onChange: (p: Pitfall) => void;
  /** True while a run is in progress. */
  disabled: boolean;
}

/** A radio group of the engine's pitfalls with an explanation under each. */
export const PitfallPicker = memo(function PitfallPicker({ value, onChange, disabled }: PitfallPickerProps) {
  return (
    <fieldset className="card pitfalls" disabled={disabled}>
      <legend>Pitfall to reproduce</legend>
      <p className="hint">Break the restore on purpose and watch the resumed curve leave the reference.</p>
      {PITFALLS.map((p) => {
        const info = PITFALL_INFO[p];
        const id = `pitfall-${p}`;
        return (
          <div className={`radio${value === p ? ' checked' : ''}`} key={p}>
            <input type="radio" id={id} name="pitfall" value={p} checked={value === p}
              onChange={() => onChange(p)} aria-describedby={`${id}-what`} />
            <label htmlFor={id}>{info.label}</label>
            <p className="hint" id={`${id}-what`}>{info.what}</p>
          </div>
        );
      })}
    </fieldset>
  );
});
