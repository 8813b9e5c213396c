/**
 * The run configuration as a URL query and as form text, both ways. Pure:
 * no DOM, no React, so it is unit-tested in Node. The form keeps what a person
 * typed (even when it is invalid) so the reason can be shown next to the
 * field; `parseForm` turns it into a RunConfig plus every problem. The
 * pitfall is a config field like the others; only its control lives in a
 * panel of its own.
 */
import {
  ACTIVATIONS, BACKENDS, DATASETS, DEFAULT_CONFIG, MODELS, OPTIMIZERS, PITFALLS, configProblems,
  type BackendName, type FieldProblem, type Pitfall, type RunConfig,
} from '../core/config';

/** Every config field as the text in its control. */
export type ConfigForm = { [K in keyof RunConfig]: string };

/** Fields the configuration form shows, in its order (the pitfall has its own picker). */
export const FORM_FIELDS = [
  'dataset', 'samples', 'model', 'hidden', 'activation', 'optimizer', 'lr', 'batch', 'seed',
  'steps', 'saveEverySteps', 'maxToKeep', 'backend', 'inputNoise',
] as const satisfies ReadonlyArray<keyof RunConfig>;

/** Every config field, in the order they appear in the URL. */
export const CONFIG_FIELDS = [...FORM_FIELDS, 'pitfall'] as const satisfies ReadonlyArray<keyof RunConfig>;

/** Query parameters owned by headless drivers; the playground never writes or reads them. */
export const RESERVED_PARAMS = ['testapi', 'bench'] as const;

/** Fields whose value is one of a fixed list. */
export const CHOICES: Partial<Record<keyof RunConfig, readonly string[]>> = {
  dataset: DATASETS, model: MODELS, activation: ACTIVATIONS, optimizer: OPTIMIZERS, backend: BACKENDS, pitfall: PITFALLS,
};

const NUMBER_FIELDS = ['samples', 'lr', 'batch', 'seed', 'steps', 'saveEverySteps', 'maxToKeep', 'inputNoise'] as const;

/** Hidden widths as shown in the form: "32, 32". */
export function formatHidden(hidden: readonly number[]): string {
  return hidden.join(', ');
}

/** Hidden widths from text ("32, 32", "32x32", "32 32"); null when any part is not a number. */
export function parseHidden(text: string): number[] | null {
  const parts = text.trim().split(/[\s,x×]+/).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const out = parts.map((p) => (/^[+-]?\d+(\.\d+)?$/.test(p) ? Number(p) : NaN));
  return out.some((n) => Number.isNaN(n)) ? null : out;
}

/** The form text of a config. */
export function formFromConfig(config: RunConfig): ConfigForm {
  const form = {} as ConfigForm;
  for (const f of CONFIG_FIELDS) form[f] = f === 'hidden' ? formatHidden(config.hidden) : String(config[f]);
  return form;
}

function parseNumber(text: string): number {
  const t = text.trim();
  return t === '' ? NaN : Number(t);
}

/** The config a form describes, with every problem (per field); `config` is null unless there are none. */
export function parseForm(form: ConfigForm): { config: RunConfig | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const hidden = parseHidden(form.hidden);
  const candidate = {
    ...DEFAULT_CONFIG,
    dataset: form.dataset, model: form.model, activation: form.activation, optimizer: form.optimizer, backend: form.backend,
    pitfall: form.pitfall, hidden: hidden ?? [],
  } as RunConfig;
  for (const f of NUMBER_FIELDS) {
    const n = parseNumber(form[f]);
    if (Number.isNaN(n)) problems.push({ field: f, reason: form[f].trim() === '' ? 'enter a number' : `“${form[f].trim()}” is not a number` });
    candidate[f] = n;
  }
  if (hidden === null) problems.push({ field: 'hidden', reason: 'give 1 to 4 layer widths separated by commas, e.g. 32, 32' });
  for (const p of configProblems(candidate)) {
    if (!problems.some((q) => q.field === p.field)) problems.push(p);
  }
  return { config: problems.length === 0 ? candidate : null, problems };
}

/**
 * The form a URL query describes; absent fields take DEFAULT_CONFIG, unknown
 * parameters are ignored. An unknown pitfall is ignored too: its picker is a
 * radio group, which has no way to show a value outside its choices.
 */
export function formFromSearch(search: string): ConfigForm {
  const params = new URLSearchParams(search);
  const form = formFromConfig(DEFAULT_CONFIG);
  for (const f of CONFIG_FIELDS) {
    const v = params.get(f);
    if (v === null) continue;
    if (f === 'hidden') {
      const h = parseHidden(v);
      form.hidden = h ? formatHidden(h) : v;
    } else if (f !== 'pitfall' || PITFALLS.includes(v as Pitfall)) {
      form[f] = v;
    }
  }
  return form;
}

/**
 * The URL query for a form, keeping any parameter the playground does not
 * own. Every config field is written, so a link reproduces the run even if
 * the defaults change later; the pitfall only when there is one, so a
 * plain run's link stays free of it.
 */
export function searchFromForm(form: ConfigForm, current = ''): string {
  const params = new URLSearchParams(current);
  for (const f of CONFIG_FIELDS) {
    let v = form[f].trim();
    if (f === 'hidden') {
      const h = parseHidden(v);
      if (h) v = h.join('x');
    }
    if (f === 'pitfall' && v === 'none') params.delete(f);
    else params.set(f, v);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The backend to start the engine on before anything runs: the form's, if it names a known one, else the default. */
export function startBackend(form: ConfigForm): BackendName {
  return BACKENDS.includes(form.backend as BackendName) ? form.backend as BackendName : DEFAULT_CONFIG.backend;
}

/** True when the query belongs to a headless driver rather than the playground. */
export function isReservedSearch(search: string): boolean {
  const params = new URLSearchParams(search);
  return RESERVED_PARAMS.some((p) => params.has(p));
}
