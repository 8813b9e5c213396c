import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { installRenderProbe } from './ui/renderProbe';

// Headless drivers open the page with ?testapi or ?bench and get their
// harness (src/harness/), loaded only then; people get the playground.
const params = new URLSearchParams(location.search);
const root = document.getElementById('root')!;
if (params.has('testapi')) {
  void import('./harness/testApi').then(({ installTestApi }) => {
    installTestApi();
    root.textContent = 'Resumable test API ready.';
  });
} else if (params.has('bench')) {
  void import('./harness/bench/benchApi').then(({ installBenchApi }) => {
    installBenchApi();
    root.textContent = 'Resumable bench API ready.';
  });
} else {
  installRenderProbe();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
