/**
 * The checkpoints of the current run: step, time, size and digest, with
 * buttons to inspect or export one, and a file input to import one. A bad
 * import is refused by the engine with a named error and changes nothing.
 */
import { memo, useRef } from 'react';
import type { CheckpointInfo, SkippedCheckpoint } from '../protocol';
import { formatBytes } from '../core/units';
import { useCommitCount } from './renderProbe';

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Props of CheckpointsPanel. */
export interface CheckpointsPanelProps {
  /** The run the checkpoints belong to, or null. */
  runId: string | null;
  /** Its committed checkpoints, oldest first. */
  checkpoints: CheckpointInfo[];
  /** Step shown in the inspector. */
  inspected: number | null;
  /** Show a checkpoint in the inspector. */
  onInspect: (step: number) => void;
  /** Download a checkpoint as a file. */
  onExport: (step: number) => void;
  /** Import a checkpoint file into the run. */
  onImport: (file: File) => void;
  /** Steps a resume found corrupt (kept, and marked). */
  corruptSteps: SkippedCheckpoint[];
  /** Resume the run from this checkpoint, or null when the run cannot be resumed now. */
  onRestore: ((step: number) => void) | null;
  /** True while training (import is locked then). */
  busy: boolean;
}

/** The current run's checkpoint list with inspect, export and import. */
export const CheckpointsPanel = memo(function CheckpointsPanel({ runId, checkpoints, inspected, onInspect, onExport, onImport, corruptSteps, onRestore, busy }: CheckpointsPanelProps) {
  useCommitCount('checkpoints');
  // A mark names the checkpoint that failed (by digest), not a later one saved at the same step.
  const corrupt = new Map(corruptSteps.map((c) => [`${c.step}:${c.digest}`, c.message]));
  const file = useRef<HTMLInputElement>(null);
  return (
    <section className="card checkpoints" aria-labelledby="ckpt-title">
      <h2 id="ckpt-title">Checkpoints{runId ? <> of <code>{runId}</code></> : ''}</h2>
      {checkpoints.length === 0 ? (
        <p className="hint">{runId ? 'No committed checkpoint yet.' : 'Checkpoints of the current run appear here as they commit.'}</p>
      ) : (
        <div className="table-scroll"><table className="ckpt-table">
          <thead>
            <tr><th scope="col">Step</th><th scope="col">Saved</th><th scope="col">Size</th><th scope="col">Digest</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {checkpoints.map((c) => (
              <tr key={c.step} aria-current={inspected === c.step ? 'true' : undefined} data-step={c.step}>
                <td>
                  {c.step}
                  {corrupt.has(`${c.step}:${c.digest}`) && <span className="badge bad" title={corrupt.get(`${c.step}:${c.digest}`)}>corrupt</span>}
                </td>
                <td>{TIME.format(c.savedAtMs)}</td>
                <td>{formatBytes(c.bytes)}</td>
                <td className="mono">{c.digest.toString(16).padStart(8, '0')}</td>
                <td className="actions">
                  <button type="button" className="small" onClick={() => onInspect(c.step)} aria-label={`Inspect checkpoint at step ${c.step}`}>Inspect</button>
                  <button type="button" className="small" onClick={() => onExport(c.step)} aria-label={`Export checkpoint at step ${c.step}`}>Export</button>
                  {onRestore && (
                    <button type="button" className="small" onClick={() => onRestore(c.step)} disabled={busy}
                      aria-label={`Restore from the checkpoint at step ${c.step}`}>Restore from here</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      {runId && (
        <div className="field inline">
          <label htmlFor="ckpt-import">Import a checkpoint file into this run</label>
          <input id="ckpt-import" ref={file} type="file" accept=".ckpt,application/octet-stream" disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) onImport(f);
              if (file.current) file.current.value = '';
            }} />
        </div>
      )}
    </section>
  );
});
