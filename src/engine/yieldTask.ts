/**
 * Yields one macrotask. The training loop awaits only promises, and on the
 * wasm and cpu backends `data()` resolves as a microtask, so without this
 * the loop never lets IndexedDB deliver its callbacks: checkpoints queued
 * during training would commit only after the loop ended, and 'stop'
 * messages would wait too.
 * A MessageChannel round-trip is not clamped like setTimeout(0).
 */
export function yieldTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
