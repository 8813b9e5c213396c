/**
 * Damage done to the app's IndexedDB from the test, as a bad disk would do it,
 * to prove that the app catches it.
 */
import type { Page } from '@playwright/test';

/**
 * Rewrites one stored checkpoint through raw IndexedDB, as a bit-flip on disk
 * would, or cuts its packed tensor data 6 bytes before the end of
 * model/dense_0/kernel. The manifest names the checkpoint's slot,
 * whose header holds the tensor table and whose data key the bare bytes.
 */
export async function tamper(page: Page, runId: string, step: number, how: 'flip' | 'truncate') {
  await page.evaluate(async ({ runId, step, how }) => {
    const db = await new Promise<IDBDatabase>((res, rej) => { const r = indexedDB.open('resumable'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    const tx = db.transaction('kv', 'readwrite');
    const os = tx.objectStore('kv');
    const get = <T>(key: string) => new Promise<T>((res) => { const r = os.get(key); r.onsuccess = () => res(r.result as T); });
    const manifest = await get<{ checkpoints: Array<{ step: number; slot: number }> }>(`run/${runId}/manifest`);
    const slot = manifest.checkpoints.find((c) => c.step === step)!.slot;
    const header = await get<{ tensors: Array<{ path: string; offset: number; length: number }> }>(`run/${runId}/slot/${slot}/header`);
    let data = await get<ArrayBuffer>(`run/${runId}/slot/${slot}/data`);
    const t = header.tensors.find((x) => x.path === 'model/dense_0/kernel')!;
    if (how === 'flip') new Uint8Array(data, t.offset, t.length)[7] ^= 0x10;
    else data = data.slice(0, t.offset + t.length - 6);
    os.put(data, `run/${runId}/slot/${slot}/data`);
    await new Promise((res) => { tx.oncomplete = res; });
    db.close();
  }, { runId, step, how });
}

