/**
 * The verdict: how far the resumed run is from the reference, over losses and
 * parameters, the first divergent step, a per-tensor table and the hashes of
 * both final states, with a status in words (not colour alone). A refused
 * restore shows its error and every mismatched path.
 */
import { memo } from 'react';
import type { Pitfall } from '../core/config';
import type { ResumeResult, SkippedCheckpoint, Verdict } from '../protocol';
import { PITFALL_TITLES } from '../core/pitfalls';
import { PITFALL_INFO } from './pitfalls';
import { formatSci } from './series';

/** What the verdict panel shows. */
export type Outcome =
  | {
    kind: 'verdict'; verdict: Verdict; restoredFrom: number; stepsLost: number; pitfall: Pitfall;
    /** Under a pitfall: whether it diverged or had no visible effect here, and why. */
    pitfallOutcome: ResumeResult['pitfall'];
    /** Newer checkpoints passed over because they failed their checks. */
    skipped: SkippedCheckpoint[];
  }
  | { kind: 'refused'; error: Error; pitfall: Pitfall }
  | { kind: 'stopped'; atStep: number }
  | { kind: 'uncrashed'; verdict: Verdict; steps: number };

/** Props of VerdictPanel. */
export interface VerdictPanelProps {
  /** The outcome to show, or null before there is one. */
  outcome: Outcome | null;
}

interface Problem { path: string; detail: string }

function problemsOf(e: Error): Problem[] {
  const d = (e as Error & { details?: { problems?: unknown } }).details?.problems;
  return Array.isArray(d) ? d.filter((p): p is Problem => typeof p?.path === 'string' && typeof p?.detail === 'string') : [];
}

/** The verdict panel. */
export const VerdictPanel = memo(function VerdictPanel({ outcome }: VerdictPanelProps) {
  return (
    <section className="card verdict" aria-labelledby="verdict-title" aria-live="polite">
      <h2 id="verdict-title">Verdict</h2>
      {outcome === null && <p className="hint">Crash a run during phase 2 and resume it: the resumed run is compared with the reference here, bit for bit.</p>}
      {outcome?.kind === 'stopped' && <p>Stopped at step {outcome.atStep} before the end: no verdict.</p>}
      {outcome?.kind === 'uncrashed' && (
        <>
          <p className={`status ${outcome.verdict.exact ? 'ok' : 'bad'}`}>
            {outcome.verdict.exact ? '✓ Phase 2 repeated phase 1 exactly' : '✗ Phase 2 differs from phase 1'}
          </p>
          <p>The checkpointed run reached step {outcome.steps} without a crash; nothing was resumed.</p>
          <p className="mono">Max |reference − checkpointed| over losses: {formatSci(outcome.verdict.maxLossDiff)}</p>
          <p className="mono">… over parameters: {formatSci(outcome.verdict.maxParamDiff)}</p>
          <p className="hint">Crash it during phase 2 (Crash tab, Crash at step, or during a checkpoint write) to test the resume.</p>
        </>
      )}
      {outcome?.kind === 'refused' && (
        <>
          <p className="status bad" data-testid="verdict-status">✗ Resume refused</p>
          <p data-testid="refused-error"><strong>{outcome.error.name}</strong>: {problemsOf(outcome.error).length > 0 ? outcome.error.message.split(': ')[0] : outcome.error.message}</p>
          {problemsOf(outcome.error).length > 0 && (
            <ul className="problems">
              {problemsOf(outcome.error).map((p) => <li key={p.path}><code>{p.path}</code>: {p.detail}</li>)}
            </ul>
          )}
          {outcome.pitfall !== 'none' && <p className="why">Why: {PITFALL_INFO[outcome.pitfall].missing}. Nothing was restored, not even in part.</p>}
        </>
      )}
      {outcome?.kind === 'verdict' && <VerdictBody {...outcome} />}
    </section>
  );
});

function VerdictBody({ verdict: v, restoredFrom, stepsLost, pitfall, pitfallOutcome, skipped }: Extract<Outcome, { kind: 'verdict' }>) {
  const sameHash = v.referenceHash === v.resumedHash;
  // A pitfall that came out exact is never shown as a success of the pattern.
  const noEffect = pitfall !== 'none' && v.exact;
  return (
    <>
      <p className={`status ${noEffect ? 'warn' : v.exact ? 'ok' : 'bad'}`} data-testid="verdict-status">
        {noEffect ? '○ No visible effect: the mistake changed nothing here'
          : v.exact ? '✓ Bit-exact: the resumed run is the reference run' : '✗ Diverged: the resumed run is not the reference run'}
      </p>
      {noEffect && (
        <p className="why" data-testid="verdict-why">
          The pitfall was on ({PITFALL_TITLES[pitfall]}), and the resumed run still equals the reference bit for bit
          because {pitfallOutcome?.why ?? 'this setting gives the mistake nothing to change.'} That is luck of the setting, not a correct restore.
        </p>
      )}
      {skipped.length > 0 && (
        <p data-testid="verdict-skipped">
          {skipped.map((k) => `The checkpoint of step ${k.step} failed its checks${k.path ? ` in ${k.path}` : ''}`).join('; ')}: the resume used step {restoredFrom}, the newest
          intact one. The failed checkpoint is kept, and marked as corrupt among the checkpoints.
        </p>
      )}
      <p>Restored from step {restoredFrom}; {stepsLost} step{stepsLost === 1 ? '' : 's'} redone. Compared {v.stepsCompared} steps{v.lengthsMatch ? '' : ' (curve lengths differ)'}.</p>
      <p className="mono" data-testid="verdict-loss">Max |reference − resumed| over losses: {formatSci(v.maxLossDiff)}</p>
      <p className="mono" data-testid="verdict-params">Max |reference − resumed| over parameters: {formatSci(v.maxParamDiff)}</p>
      <p data-testid="verdict-first">First divergent step: {v.firstDivergentStep ?? 'none'}</p>
      {!v.exact && pitfall !== 'none' && PITFALL_INFO[pitfall].missing && (
        <p className="why" data-testid="verdict-why">Why: {PITFALL_INFO[pitfall].missing}.</p>
      )}
      <table className="tensors">
        <caption>Per-tensor max |Δ| of the final parameters</caption>
        <thead><tr><th scope="col">Path</th><th scope="col">Shape</th><th scope="col">max |Δ|</th></tr></thead>
        <tbody>
          {v.tensors.map((t) => (
            <tr key={t.path} className={t.maxAbsDiff === 0 ? '' : 'diff'}>
              <td><code>{t.path}</code></td><td>[{t.shape.join(', ')}]</td><td className="mono">{formatSci(t.maxAbsDiff)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="hashes">
        <dt>Reference final state (xxHash32)</dt><dd className="mono" data-testid="hash-reference">{v.referenceHash}</dd>
        <dt>Resumed final state (xxHash32)</dt><dd className="mono" data-testid="hash-resumed">{v.resumedHash}</dd>
      </dl>
      <p className={sameHash ? 'ok-text' : 'bad-text'}>{sameHash ? '= identical hashes' : '≠ different hashes'}</p>
    </>
  );
}
