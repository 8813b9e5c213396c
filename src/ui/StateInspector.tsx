/**
 * The state inspector: one checkpoint as a tree (model / optimizer /
 * pipeline → … → leaf) with shape, dtype, bytes and checksum per tensor and
 * the value of every number leaf, so the pipeline's cursor, epoch and RNG
 * counters can be read. Built from <details>/<summary>, keyboard-usable.
 */
import { memo, useMemo } from 'react';
import type { CheckpointInspection, TensorInfo } from '../protocol';
import { useCommitCount } from './renderProbe';
import { formatBytes } from '../core/units';

type Node = { children: Map<string, Node>; tensor?: TensorInfo; number?: number; bytes: number; leaves: number };

function buildTree(x: CheckpointInspection): Node {
  const root: Node = { children: new Map(), bytes: 0, leaves: 0 };
  const add = (path: string, leaf: { tensor?: TensorInfo; number?: number }, bytes: number) => {
    let n = root;
    n.bytes += bytes; n.leaves++;
    for (const key of path.split('/')) {
      let next = n.children.get(key);
      if (!next) { next = { children: new Map(), bytes: 0, leaves: 0 }; n.children.set(key, next); }
      n = next;
      n.bytes += bytes; n.leaves++;
    }
    Object.assign(n, leaf);
  };
  for (const t of x.tensors) add(t.path, { tensor: t }, t.bytes);
  for (const [p, v] of Object.entries(x.numbers)) add(p, { number: v }, 8);
  return root;
}

function Leaf({ name, node }: { name: string; node: Node }) {
  if (node.tensor) {
    const t = node.tensor;
    return (
      <li className="leaf">
        <code>{name}</code> <span className="meta">[{t.shape.join(', ')}] {t.dtype} · {formatBytes(t.bytes)} · xxHash32 {t.checksum.toString(16).padStart(8, '0')}</span>{' '}
        <span className={t.checksumOk ? 'ok-text' : 'bad-text'}>{t.checksumOk ? '✓ checksum ok' : '✗ checksum mismatch'}</span>
      </li>
    );
  }
  return <li className="leaf"><code>{name}</code> = <strong className="mono" data-path-value={name}>{String(node.number)}</strong></li>;
}

function Branch({ name, node, path, open }: { name: string; node: Node; path: string; open: boolean }) {
  return (
    <li>
      <details open={open}>
        <summary><code>{name}</code> <span className="meta">{node.leaves} leaves · {formatBytes(node.bytes)}</span></summary>
        <Children node={node} path={path} />
      </details>
    </li>
  );
}

function Children({ node, path }: { node: Node; path: string }) {
  return (
    <ul>
      {[...node.children].map(([k, child]) => {
        const p = path ? `${path}/${k}` : k;
        return child.children.size === 0 ? <Leaf key={k} name={k} node={child} />
          // The pipeline is short and holds the counters people look for: open it all the way.
          : <Branch key={k} name={k} node={child} path={p} open={!path || p.startsWith('pipeline')} />;
      })}
    </ul>
  );
}

/** Props of StateInspector. */
export interface StateInspectorProps {
  /** The inspected checkpoint, or null. */
  inspection: CheckpointInspection | null;
}

/** One checkpoint's state as an expandable tree. */
export const StateInspector = memo(function StateInspector({ inspection }: StateInspectorProps) {
  useCommitCount('inspector');
  const tree = useMemo(() => (inspection ? buildTree(inspection) : null), [inspection]);
  // Where the data stream stands: position, epoch, cursor and each RNG counter (keys and source facts stay in the tree).
  const pipelineNumbers = inspection ? Object.entries(inspection.numbers).filter(([p]) => /^pipeline\/(.*\/)?(position|epoch|cursor|counter)$/.test(p)) : [];
  return (
    <section className="card inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title">State inspector{inspection ? ` · checkpoint at step ${inspection.meta.step}` : ''}</h2>
      {!inspection || !tree ? (
        <p className="hint">The latest checkpoint of the current run is shown here: every tensor with its shape, dtype, size and checksum.</p>
      ) : (
        <>
          <p className="hint">
            Saved {new Date(inspection.meta.savedAtMs).toLocaleTimeString()} on {inspection.meta.backend}
            {inspection.meta.adapter ? ` (${inspection.meta.adapter})` : ''} · {inspection.tensors.length} tensors, {Object.keys(inspection.numbers).length} numbers.
          </p>
          {pipelineNumbers.length > 0 && (
            <dl className="counters" aria-label="Data pipeline counters">
              {pipelineNumbers.map(([p, v]) => (
                <div key={p}><dt><code>{p.replace(/^pipeline\//, '')}</code></dt><dd className="mono">{v}</dd></div>
              ))}
            </dl>
          )}
          <div className="tree"><Children node={tree} path="" /></div>
        </>
      )}
    </section>
  );
});
