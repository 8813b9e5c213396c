/**
 * Earlier runs in this browser with their status and verdict, delete one or
 * clear all, and the origin's storage use against its quota.
 */
import { memo, useState } from 'react';
import type { RunRecord } from '../protocol';
import type { StorageReport } from '../protocol';
import {formatSci } from './series';
import { formatBytes } from '../core/units';

/** Props of RunsPanel. */
export interface RunsPanelProps {
  /** Stored runs, newest first. */
  runs: RunRecord[];
  /** Storage use and quota, once known. */
  storage: StorageReport | null;
  /** The run on screen. */
  currentRunId: string | null;
  /** Show a run's checkpoints and state. */
  onOpen: (runId: string) => void;
  /** Delete one run. */
  onDelete: (runId: string) => void;
  /** Delete every run. */
  onClearAll: () => void;
  /** True while training (deleting is locked then). */
  busy: boolean;
}

const STATUS: Record<RunRecord['status'], string> = {
  training: 'interrupted', resumed: 'resumed to the end', finished: 'finished without a crash',
};

function verdictText(r: RunRecord): { text: string; cls: string } {
  if (!r.verdict) return { text: '—', cls: '' };
  const exact = r.verdict.maxLossDiff === 0 && r.verdict.maxParamDiff === 0 && r.verdict.firstDivergentStep === null;
  return exact
    ? { text: '✓ bit-exact', cls: 'ok-text' }
    : { text: `✗ diverged (params ${formatSci(r.verdict.maxParamDiff, 1)})`, cls: 'bad-text' };
}

/** The runs list and storage meter. */
export const RunsPanel = memo(function RunsPanel({ runs, storage, currentRunId, onOpen, onDelete, onClearAll, busy }: RunsPanelProps) {
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card runs" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs in this browser</h2>
      {storage && (
        <div className="storage">
          <label htmlFor="storage-meter">Storage: {formatBytes(storage.usageBytes)} used of {formatBytes(storage.quotaBytes)}</label>
          <meter id="storage-meter" min={0} max={Math.max(1, storage.quotaBytes)} value={storage.usageBytes} />
        </div>
      )}
      {runs.length === 0 ? <p className="hint">No runs stored.</p> : (
        <ul className="run-list">
          {runs.map((r) => {
            const v = verdictText(r);
            return (
              <li key={r.runId} aria-current={r.runId === currentRunId ? 'true' : undefined}>
                <div className="run-head">
                  <code>{r.runId}</code> <span className="meta">{new Date(r.createdAtMs).toLocaleString()}</span>
                </div>
                <div className="meta">
                  {r.config.dataset} · {r.config.model} {r.config.hidden.join('×')} · {r.config.optimizer} · {r.config.steps} steps · {r.backend ?? r.config.backend}
                  {r.config.pitfall !== 'none' ? ` · pitfall ${r.config.pitfall}` : ''}
                </div>
                <div className="run-foot">
                  <span>{STATUS[r.status]}</span> <span className={v.cls}>{v.text}</span>
                  <span className="run-actions">
                    <button type="button" className="small" onClick={() => onOpen(r.runId)} aria-label={`Show checkpoints of run ${r.runId}`}>Checkpoints</button>
                    <button type="button" className="small danger secondary" disabled={busy && r.runId === currentRunId}
                      onClick={() => onDelete(r.runId)} aria-label={`Delete run ${r.runId}`}>Delete</button>
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {runs.length > 0 && (confirming ? (
        <div className="confirm" role="group" aria-label="Confirm clearing all runs">
          <span>Delete all {runs.length} runs and their checkpoints?</span>
          <button type="button" className="danger small" onClick={() => { setConfirming(false); onClearAll(); }}>Delete all</button>
          <button type="button" className="small" onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      ) : (
        <button type="button" className="small danger secondary" disabled={busy} onClick={() => setConfirming(true)}>Clear all…</button>
      ))}
    </section>
  );
});
