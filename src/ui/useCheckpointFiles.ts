/**
 * Checkpoints as files: download one of the followed run's checkpoints, or
 * import a file into that run. The engine refuses a file that does not fit
 * with a named error and changes nothing.
 */
import { useCallback } from 'react';
import type { EngineHandle } from './useEngine';

/** The checkpoints panel's file actions. */
export interface CheckpointFiles {
  /** Downloads the followed run's checkpoint of `step`. */
  exportStep: (step: number) => Promise<void>;
  /** Imports a checkpoint file into the followed run. */
  importFile: (file: File) => Promise<void>;
}

/** What the file actions need from the rest of the page. */
export interface CheckpointFilesDeps {
  /** Engine calls. */
  call: EngineHandle['call'];
  /** The run followed now. */
  followed: () => string | null;
  /** Refreshes the checkpoint panels after an import. */
  refreshCheckpoints: () => Promise<void>;
  /** Refreshes the runs list after an import. */
  refreshRuns: () => Promise<void>;
  /** Adds a failure to the error log. */
  reportError: (context: string, e: unknown) => void;
  /** Replaces the status line. */
  notify: (text: string) => void;
}

/** How long a download's object URL lives: long enough for the browser to start reading it. */
const DOWNLOAD_URL_LIFETIME_MS = 10_000;

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}

/** Export and import of the followed run's checkpoints. */
export function useCheckpointFiles({ call, followed, refreshCheckpoints, refreshRuns, reportError, notify }: CheckpointFilesDeps): CheckpointFiles {
  const exportStep = useCallback(async (step: number) => {
    const runId = followed();
    if (!runId) return;
    try {
      const bytes = await call('exportCheckpoint', { runId, step });
      download(bytes, `${runId}-step-${step}.ckpt`);
      notify(`Exported the checkpoint of step ${step} (${bytes.byteLength} bytes).`);
    } catch (e) {
      reportError(`Exporting the checkpoint at step ${step}`, e);
    }
  }, [call, followed, reportError, notify]);

  const importFile = useCallback(async (file: File) => {
    const runId = followed();
    if (!runId) return;
    try {
      const step = await call('importCheckpoint', { runId, bytes: new Uint8Array(await file.arrayBuffer()) });
      notify(`Imported ${file.name}: checkpoint of step ${step} added to ${runId}.`);
    } catch (e) {
      reportError(`Importing ${file.name}`, e);
    } finally {
      void refreshCheckpoints();
      void refreshRuns();
    }
  }, [call, followed, refreshCheckpoints, refreshRuns, reportError, notify]);

  return { exportStep, importFile };
}
