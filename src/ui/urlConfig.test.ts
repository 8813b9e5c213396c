import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import { formFromConfig, formFromSearch, isReservedSearch, parseForm, parseHidden, searchFromForm, startBackend } from './urlConfig';

describe('urlConfig', () => {
  it('an empty query gives the defaults, which parse back to DEFAULT_CONFIG', () => {
    const form = formFromSearch('');
    expect(form.pitfall).toBe('none');
    expect(parseForm(form)).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });

  it('round-trips a config through the query', () => {
    const config = {
      ...DEFAULT_CONFIG, dataset: 'moons' as const, lr: 0.05, hidden: [16, 8, 4], optimizer: 'momentum' as const, backend: 'wasm' as const, inputNoise: 0,
      pitfall: 'omit-pipeline' as const,
    };
    const search = searchFromForm(formFromConfig(config));
    expect(search).toContain('dataset=moons');
    expect(search).toContain('lr=0.05');
    expect(search).toContain('hidden=16x8x4');
    expect(search).toContain('pitfall=omit-pipeline');
    const back = formFromSearch(search);
    expect(back.pitfall).toBe('omit-pipeline');
    expect(back.hidden).toBe('16, 8, 4');
    expect(parseForm(back).config).toEqual(config);
  });

  it('writes every field in a fixed order and drops pitfall=none', () => {
    const search = searchFromForm(formFromConfig(DEFAULT_CONFIG), '?pitfall=omit-update');
    expect(search).toBe('?dataset=spirals&samples=1000&model=mlp&hidden=32x32&activation=tanh&optimizer=adam&lr=0.01&batch=32&seed=0&steps=60&saveEverySteps=10&maxToKeep=3&backend=webgpu&inputNoise=0.02');
  });

  it('keeps parameters it does not own', () => {
    expect(searchFromForm(formFromConfig(DEFAULT_CONFIG), '?lang=fr&steps=5')).toMatch(/^\?lang=fr&steps=60&/);
  });

  it('keeps invalid text so the form can show it, and names the field and reason', () => {
    const form = formFromSearch('?lr=-1&batch=abc&hidden=3,,zz&model=cnn&steps=');
    expect(form.lr).toBe('-1');
    expect(form.hidden).toBe('3,,zz');
    const { config, problems } = parseForm(form);
    expect(config).toBeNull();
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.reason]));
    expect(byField.lr).toMatch(/above 0/);
    expect(byField.batch).toMatch(/not a number/);
    expect(byField.hidden).toMatch(/layer widths/);
    expect(byField.model).toMatch(/CNN needs images/);
    expect(byField.steps).toBe('enter a number');
    // One problem per field, the first found.
    expect(new Set(problems.map((p) => p.field)).size).toBe(problems.length);
  });

  it('parses hidden widths in several spellings', () => {
    expect(parseHidden('32, 32')).toEqual([32, 32]);
    expect(parseHidden('64x32')).toEqual([64, 32]);
    expect(parseHidden(' 8 ')).toEqual([8]);
    expect(parseHidden('')).toBeNull();
    expect(parseHidden('a')).toBeNull();
    // Fractions parse; configProblems then refuses them with its reason.
    expect(parseForm({ ...formFromConfig(DEFAULT_CONFIG), hidden: '1.5' }).problems[0].field).toBe('hidden');
  });

  it('reads the pitfall of existing links and ignores an unknown one', () => {
    expect(formFromSearch('?dataset=moons&pitfall=omit-optimizer').pitfall).toBe('omit-optimizer');
    expect(formFromSearch('?pitfall=nope').pitfall).toBe('none');
  });

  it('writes the pitfall last, only when there is one', () => {
    const form = { ...formFromConfig(DEFAULT_CONFIG), pitfall: 'template-mismatch' };
    expect(searchFromForm(form)).toMatch(/&inputNoise=0\.02&pitfall=template-mismatch$/);
    expect(searchFromForm({ ...form, pitfall: 'none' })).not.toContain('pitfall');
  });

  it('starts the engine on the linked backend when it is a known one', () => {
    expect(startBackend(formFromSearch('?backend=wasm&lr=-1'))).toBe('wasm');
    expect(startBackend(formFromSearch('?backend=tpu'))).toBe(DEFAULT_CONFIG.backend);
  });

  it('recognises the queries reserved for drivers', () => {
    expect(isReservedSearch('?testapi')).toBe(true);
    expect(isReservedSearch('?bench&x=1')).toBe(true);
    expect(isReservedSearch('?dataset=moons')).toBe(false);
  });
});
