/**
 * The crash controls: kill the tab now, at a chosen step of phase 2, or in
 * the middle of the next checkpoint write; and whether to resume by itself
 * after the reload.
 */
import { memo } from 'react';

/** Props of CrashControls. */
export interface CrashControlsProps {
  /** Crash now: terminate the worker mid-step and reload the page. */
  onCrashTab: () => void;
  /** Text of the crash-at-step field ('' = off). */
  crashAt: string;
  /** Called with the field's new text. */
  onCrashAtChange: (text: string) => void;
  /** Why the crash step is refused, if it is. */
  crashAtError: string | null;
  /** Arm the crash during the next checkpoint write. */
  onArmWrite: () => void;
  /** Whether that crash is armed, and how. */
  writeArmed: 'no' | 'waiting' | 'armed';
  /** Whether a run is in progress. */
  running: boolean;
  /** Resume automatically after a crash. */
  autoResume: boolean;
  /** Called with the new auto-resume choice. */
  onAutoResume: (on: boolean) => void;
  /** Whether chaos is on. */
  chaosOn: boolean;
  /** Turns chaos on or off. */
  onChaos: (on: boolean) => void;
  /** What chaos has done so far, in words ('' when off). */
  chaosText: string;
}

/** Crash buttons, the crash-at-step field and the auto-resume checkbox. */
export const CrashControls = memo(function CrashControls(props: CrashControlsProps) {
  const { onCrashTab, crashAt, onCrashAtChange, crashAtError, onArmWrite, writeArmed, running, autoResume, onAutoResume, chaosOn, onChaos, chaosText } = props;
  const armText = writeArmed === 'armed' ? 'Armed: the next checkpoint transaction will be killed while it is open.'
    : writeArmed === 'waiting' ? `Armed for after the first committed checkpoint of phase 2${running ? '' : ' of the next run'}.`
      : '';
  return (
    <section className="card crash" aria-labelledby="crash-title">
      <h2 id="crash-title">Crash it</h2>
      <div className="crash-row">
        <button type="button" className="danger" onClick={onCrashTab} aria-describedby="crash-tab-hint">Crash tab</button>
        <button type="button" className="danger secondary" onClick={onArmWrite} disabled={writeArmed !== 'no'} aria-describedby="arm-write-hint arm-write-status">
          Crash during next checkpoint write
        </button>
        <span className={`crash-at${crashAtError ? ' invalid' : ''}`}>
          <label htmlFor="crash-at">Crash at step</label>
          <input id="crash-at" type="number" min={1} step={1} placeholder="off" value={crashAt} disabled={running}
            onChange={(e) => onCrashAtChange(e.target.value)} aria-invalid={crashAtError ? true : undefined}
            aria-describedby={`crash-at-hint${crashAtError ? ' crash-at-error' : ''}`} />
        </span>
        <label className="check">
          <input type="checkbox" checked={autoResume} onChange={(e) => onAutoResume(e.target.checked)} />
          Auto-resume after a crash
        </label>
        <label className="check">
          <input type="checkbox" checked={chaosOn} onChange={(e) => onChaos(e.target.checked)} aria-describedby="chaos-hint chaos-status" />
          Chaos: crash at random moments until the run ends
        </label>
      </div>
      <p className="status-line chaos-line" id="chaos-status" aria-live="polite" data-testid="chaos-status">{chaosText}</p>
      {crashAtError && <p className="field-error" id="crash-at-error"><span aria-hidden="true">⚠ </span>{crashAtError}</p>}
      <p className="status-line" id="arm-write-status" aria-live="polite">{armText}</p>
      <details className="crash-hints">
        <summary>What each crash does</summary>
        <ul className="hint">
          <li id="crash-tab-hint"><strong>Crash tab</strong> kills the training worker mid-step and reloads the page; nothing is saved on the way out.</li>
          <li id="arm-write-hint"><strong>During a write</strong>: the worker dies while a checkpoint transaction is open, so IndexedDB keeps none of it and the resume uses the previous checkpoint.</li>
          <li id="crash-at-hint"><strong>Crash at step</strong> k: phase 2 stops right after step k (its pending checkpoint writes land), then the tab crashes the same way. Empty = off.</li>
          <li id="chaos-hint"><strong>Chaos</strong>: after each committed checkpoint the page kills the tab or the training worker at a random moment, resumes by itself, and at the end counts the crashes and the steps redone. The moments come from a seed (shown), so <code>?chaosSeed=N</code> replays them.</li>
        </ul>
      </details>
    </section>
  );
});
