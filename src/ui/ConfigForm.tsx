/**
 * The run configuration controls. Each field shows what the person typed;
 * an invalid value is refused next to its field with the reason
 * (aria-invalid + aria-describedby), and the run button stays disabled.
 */
import { memo } from 'react';
import type { FieldProblem, RunConfig } from '../core/config';
import { CHOICES, FORM_FIELDS, type ConfigForm as Form } from './urlConfig';

interface FieldSpec {
  label: string;
  hint?: string;
  /** Number input step ('any' for reals); absent for selects and text. */
  step?: string;
  min?: number;
  options?: Record<string, string>;
}

const SPECS: Record<(typeof FORM_FIELDS)[number], FieldSpec> = {
  dataset: {
    label: 'Dataset',
    options: { spirals: 'Spirals (2-D)', moons: 'Moons (2-D)', circles: 'Circles (2-D)', xor: 'XOR (2-D)', gaussians: 'Gaussian blobs (2-D)', digits: 'Digits (MNIST 28×28)' },
  },
  samples: { label: 'Samples', hint: 'Points generated for 2-D datasets.', step: '1', min: 16 },
  model: { label: 'Model', options: { mlp: 'MLP', cnn: 'CNN (digits)' } },
  hidden: { label: 'Hidden widths', hint: '1 to 4 layer widths, e.g. 32, 32.' },
  activation: { label: 'Activation', options: { relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid' } },
  optimizer: { label: 'Optimizer', options: { sgd: 'SGD', momentum: 'SGD + momentum', adam: 'Adam' } },
  lr: { label: 'Learning rate', step: 'any', min: 0 },
  batch: { label: 'Batch size', step: '1', min: 1 },
  seed: { label: 'Seed', hint: 'Fixes every random stream: weights, shuffling, noise.', step: '1', min: 0 },
  steps: { label: 'Total steps', step: '1', min: 1 },
  saveEverySteps: { label: 'Checkpoint every (steps)', hint: '0 = never.', step: '1', min: 0 },
  maxToKeep: { label: 'Checkpoints kept', hint: 'Older ones are pruned in the same transaction.', step: '1', min: 1 },
  backend: {
    label: 'Backend',
    hint: 'Falls back webgpu → webgl → wasm → cpu if unavailable.',
    options: { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU (JavaScript)' },
  },
  inputNoise: { label: 'Input noise (σ)', hint: 'Gaussian noise added to each batch; 0 = off.', step: 'any', min: 0 },
};

/** Props of ConfigForm. */
export interface ConfigFormProps {
  /** Text of every field (the pitfall is shown by PitfallPicker, not here). */
  form: Form;
  /** Problems to show, one per field at most. */
  problems: FieldProblem[];
  /** Called with a field's new text. */
  onChange: (field: keyof RunConfig, value: string) => void;
  /** True while a run is in progress (the controls are locked). */
  disabled: boolean;
}

/** The configuration form: one labelled control per RunConfig field, with reasons for invalid values. */
export const ConfigForm = memo(function ConfigForm({ form, problems, onChange, disabled }: ConfigFormProps) {
  const reasonOf = (f: keyof RunConfig) => problems.find((p) => p.field === f)?.reason;
  return (
    <fieldset className="card config" disabled={disabled}>
      <legend>Configuration</legend>
      <div className="fields">
        {FORM_FIELDS.map((f) => {
          const spec = SPECS[f];
          const id = `cfg-${f}`;
          const reason = reasonOf(f);
          const describedBy = [spec.hint ? `${id}-hint` : '', reason ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
          const choices = CHOICES[f];
          const common = {
            id, name: f, value: form[f], 'aria-invalid': reason ? true : undefined, 'aria-describedby': describedBy,
          } as const;
          return (
            <div className={`field${reason ? ' invalid' : ''}`} key={f}>
              <label htmlFor={id}>{spec.label}</label>
              {choices ? (
                <select {...common} onChange={(e) => onChange(f, e.target.value)}>
                  {!choices.includes(form[f]) && <option value={form[f]}>{form[f] || '(none)'}</option>}
                  {choices.map((c) => <option key={c} value={c}>{spec.options?.[c] ?? c}</option>)}
                </select>
              ) : (
                <input
                  {...common}
                  type={spec.step ? 'number' : 'text'}
                  step={spec.step}
                  min={spec.min}
                  inputMode={spec.step === '1' ? 'numeric' : spec.step ? 'decimal' : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => onChange(f, e.target.value)}
                />
              )}
              {spec.hint && <p className="hint" id={`${id}-hint`}>{spec.hint}</p>}
              {reason && <p className="field-error" id={`${id}-error`}><span aria-hidden="true">⚠ </span>{reason}</p>}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
});
