/**
 * What runs the training, shown at all times: the backend, the GPU adapter,
 * and every fallback with its reason ("WebGPU unavailable: … → running on
 * webgl").
 */
import { memo } from 'react';
import type { BackendName } from '../core/config';
import type { BackendReport } from '../protocol';
import type { EngineStatus } from './useEngine';

const NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };

/** Props of BackendBadge. */
export interface BackendBadgeProps {
  /** Where the worker stands. */
  status: EngineStatus;
  /** What runs, once started. */
  report: BackendReport | null;
  /** The backend asked for. */
  requested: BackendName | null;
  /** Why the worker failed to start. */
  error: Error | null;
}

/** The backend, adapter and fallbacks of the training worker. */
export const BackendBadge = memo(function BackendBadge({ status, report, requested, error }: BackendBadgeProps) {
  return (
    <section className="backend" aria-label="Training backend" aria-live="polite">
      {status === 'ready' && report ? (
        <>
          <p>
            <span className="label">Backend</span> <strong data-testid="backend-name">{report.backend}</strong>
            {' · '}<span className="label">Adapter</span> <span data-testid="backend-adapter">{report.adapter || '—'}</span>
          </p>
          {report.fallbacks.map((f) => (
            <p className="fallback" key={f.backend}>
              <span aria-hidden="true">↪ </span>{NAMES[f.backend]} unavailable: {f.reason} → running on {report.backend}
            </p>
          ))}
        </>
      ) : status === 'failed' ? (
        <p className="fallback">Could not start {requested ?? 'the engine'}: {error?.name ?? 'Error'}: {error?.message}</p>
      ) : (
        <p><span className="label">Backend</span> starting {requested ?? ''}…</p>
      )}
    </section>
  );
});
