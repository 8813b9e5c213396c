/**
 * Backend selection: webgpu → webgl → wasm → cpu, with the flags that make
 * each one deterministic, and an honest report of what actually runs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKENDS, type BackendName } from '../core/config';
import { WebGPUUnavailableError } from '../core/errors';

/** What runs, and why anything earlier in the chain did not. */
export interface BackendReport {
  /** The backend asked for. */
  requested: BackendName;
  /** The backend that actually runs (`tf.getBackend()`). */
  backend: BackendName;
  /** GPU adapter description ("swiftshader / ...") or the CPU backend's name. */
  adapter: string;
  /** Each backend tried before the one that runs, with the reason it failed. */
  fallbacks: Array<{ backend: BackendName; reason: string }>;
  /** Determinism flags set on the backend (name → value). */
  flags: Record<string, number | boolean>;
}

/** tfjs-backend-webgpu's MatMulProgramType.MatMulPackedProgram. */
const WEBGPU_MATMUL_PACKED = 3;

/**
 * Flags that pin order-stable kernels.
 * - WEBGPU_MATMUL_PROGRAM_TYPE: by default TF.js picks MatMulSplitKProgram for
 *   small outputs with an inner dimension ≥ 2000 (e.g. a conv's filter
 *   gradient, or dW of a wide layer); it accumulates with atomics, so the
 *   summation order, and the last bits, change from run to run. The packed
 *   program sums in a fixed order for every shape.
 * - WEBGL_PACK: packed WebGL kernels made SGD resumes differ at 1e-2 after 30
 *   steps on this machine's SwiftShader; unpacked ones are exact.
 */
export function determinismFlags(backend: BackendName): Record<string, number | boolean> {
  switch (backend) {
    case 'webgpu': return { WEBGPU_MATMUL_PROGRAM_TYPE: WEBGPU_MATMUL_PACKED };
    case 'webgl': return { WEBGL_PACK: false };
    case 'wasm':
    case 'cpu': return {};
  }
}

async function describeAdapter(backend: BackendName): Promise<string> {
  if (backend === 'webgpu') {
    const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
    const gpu = (globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string; device: string; description: string } } | null> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    const i = adapter?.info;
    const parts = [i?.vendor || info?.vendor, i?.architecture || info?.architecture, i?.device, i?.description].filter((s) => s);
    return parts.join(' / ') || 'unknown WebGPU adapter';
  }
  if (backend === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    return (ext && gl ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : gl ? String(gl.getParameter(gl.RENDERER)) : '') || 'WebGL';
  }
  return backend === 'wasm' ? 'WebAssembly (single-threaded SIMD)' : 'JavaScript CPU';
}

/**
 * Initialises the first backend that works, starting at `requested` and
 * falling back along webgpu → webgl → wasm → cpu. With `strict`, a requested
 * backend that does not come up is an error instead of a fallback.
 * `flagOverrides` replace the determinism flags (tests use it to show what they prevent).
 */
export async function initBackend(
  requested: BackendName,
  options: { wasmPath?: string; strict?: boolean; flagOverrides?: Record<string, number | boolean> } = {},
): Promise<BackendReport> {
  if (options.wasmPath) setWasmPaths(options.wasmPath);
  const fallbacks: BackendReport['fallbacks'] = [];
  for (const name of BACKENDS.slice(BACKENDS.indexOf(requested))) {
    let reason: string;
    if (name === 'webgpu' && !(globalThis.navigator && 'gpu' in globalThis.navigator)) {
      reason = 'navigator.gpu is missing: this browser or context has no WebGPU (Chromium needs --enable-unsafe-webgpu on Linux)';
    } else {
      // Overrides exist for negative controls: proving what a determinism flag is for.
      const flags = { ...determinismFlags(name), ...options.flagOverrides };
      for (const [k, v] of Object.entries(flags)) tf.env().set(k, v);
      try {
        // setBackend resolves false instead of throwing when the backend fails to start.
        const ok = await tf.setBackend(name);
        await tf.ready();
        if (ok && tf.getBackend() === name) {
          return { requested, backend: name, adapter: await describeAdapter(name), fallbacks, flags };
        }
        reason = `tf.setBackend('${name}') failed; TF.js reports '${tf.getBackend()}'`;
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
      }
    }
    if (options.strict) {
      if (name === 'webgpu') throw new WebGPUUnavailableError(`WebGPU is not available: ${reason}`, { reason });
      throw new Error(`backend ${name} is not available: ${reason}`);
    }
    fallbacks.push({ backend: name, reason });
  }
  throw new Error(`no TF.js backend could start: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
}
